"""`gitops-lb reconcile`: compare one cluster's desired state (from Git) with its live state.

state.py    what reconcile reads (the resource table) and the LiveState both readers fill
live.py     the Kubernetes API reader; the only module that imports `kubernetes`
dump.py     the `--live FILE...` reader (`kubectl get ... -o yaml` output)
desired.py  the desired state: a lowered site spec cluster, or plain manifests
drift.py    the pure comparison -> differences (with services.py, nodes.py, normalize.py,
            l2plan.py)
report.py   text and JSON renderings of a reconcile report
"""
