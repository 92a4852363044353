"""`gitops-lb reconcile`: compare one cluster's desired state (from Git) with its live state.

state.py        what reconcile reads (the resource table) and the LiveState both readers fill
live.py         the Kubernetes API reader; the only module that imports `kubernetes`
credentials.py  where the credentials are, and the filter that keeps their secrets out of output
dump.py         the `--live FILE...` reader (`kubectl get ... -o yaml` output): what is kept of
                each object, copies of one object; stream.py reads a dump one object at a time
desired.py      the desired state: a lowered site spec cluster, or plain manifests
drift.py        the pure comparison -> differences, with normalize.py (what counts as equal),
                services.py and nodes.py (who may announce what in L2: metallb/speakerplan.py)
difference.py   a difference and the report; report.py renders it as text or JSON
"""
