"""The build, stage after stage: sources -> compile -> assemble -> write -> validate -> publish.

Read :mod:`.pipeline` first; each stage is a sub-package (or module) named after it, the incremental
build policy is :mod:`.incremental`, and the authoring tools that ``build`` never calls are in
:mod:`.authoring`.
"""
