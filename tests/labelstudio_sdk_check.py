"""Run by tests/test_interchange_labelstudio.py with a Python that has label-studio-sdk: its LabelInterface
parses the generated labeling config and checks every annotation and prediction of the tasks.

usage: labelstudio_sdk_check.py EXPORT_FOLDER [TASKS_FILE]
"""
import json
import sys

from label_studio_sdk.label_interface import LabelInterface
folder = sys.argv[1]
config = open(f"{folder}/labeling-config.xml", encoding="utf-8").read()
li = LabelInterface(config)
li.validate()
print("config valid; controls:", len(li.controls), "objects:", [o.name for o in li.objects])
tasks = json.load(open(f"{folder}/{sys.argv[2] if len(sys.argv) > 2 else 'tasks.json'}", encoding="utf-8"))
bad = 0
for t in tasks:
    ok = li.validate_task({"data": t["data"]})
    assert ok, t["data"].keys()
    for a in t["annotations"] + t.get("predictions", []):
        errs = li.validate_prediction(a, return_errors=True)
        if errs:
            bad += 1
            print(t["data"].get("article_id"), errs[:5])
print("tasks", len(tasks), "with errors", bad)
