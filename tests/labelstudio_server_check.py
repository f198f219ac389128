"""Run by tests/test_interchange_labelstudio.py with the Python of an environment that has Label Studio:
log in to the server at BASE, create a project from diplonews' labeling config, import its tasks, and
write the project's JSON export (what an annotator downloads) to OUT.

usage: labelstudio_server_check.py BASE EMAIL PASSWORD EXPORT_FOLDER OUT
"""

import json
import sys

import requests

base, email, password, folder, out = sys.argv[1:6]
session = requests.Session()
session.get(f"{base}/user/login/", timeout=60)
session.post(f"{base}/user/login/", data={"email": email, "password": password,
                                          "csrfmiddlewaretoken": session.cookies.get("csrftoken")},
             headers={"Referer": f"{base}/user/login/"}, timeout=60).raise_for_status()
headers = {"X-CSRFToken": session.cookies.get("csrftoken"), "Referer": base}
with open(f"{folder}/labeling-config.xml", encoding="utf-8") as fh:
    config = fh.read()
project = session.post(f"{base}/api/projects", json={"title": "diplonews", "label_config": config},
                       headers=headers, timeout=60)
assert project.status_code == 201, project.text
pid = project.json()["id"]
with open(f"{folder}/tasks.json", encoding="utf-8") as fh:
    tasks = json.load(fh)
imported = session.post(f"{base}/api/projects/{pid}/import", json=tasks, headers=headers, timeout=120)
assert imported.status_code == 201 and imported.json()["task_count"] == len(tasks), imported.text
export = session.get(f"{base}/api/projects/{pid}/export?exportType=JSON&download_all_tasks=true",
                     headers=headers, timeout=120)
assert export.status_code == 200, export.text[:500]
with open(out, "wb") as fh:
    fh.write(export.content)
print(f"project {pid}: {len(tasks)} tasks imported, export of {len(export.content)} bytes")
