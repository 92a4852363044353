"""Real-looking manifests with comments, and a way to run the CLI."""

from __future__ import annotations

import pytest

from gitops_lb.cli import main

# MetalLB's own objects: a pool, its advertisement and a BGPPeer still written as v1beta1
METALLB = """\
# MetalLB for the edge cluster (owner: network team)
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: web
  namespace: metallb-system
spec:
  addresses:
    - 10.20.0.0/26   # the web VLAN
---
apiVersion: metallb.io/v1beta1
kind: BGPAdvertisement
metadata:
  name: web
  namespace: metallb-system
spec:
  ipAddressPools: [web]
---
# the top-of-rack router
apiVersion: metallb.io/v1beta1
kind: BGPPeer
metadata:
  name: tor-a
  namespace: metallb-system
  labels: {rack: "a"}
spec:
  myASN: 64512
  peerASN: 64513
  peerAddress: 10.20.1.1
  holdTime: 90s       # as the router's
  keepaliveTime: 30s
"""

# the pool alone, for the Services of the tests to get their addresses from
POOL = METALLB.split("---\n# the top-of-rack router", maxsplit=1)[0]

PEER_LINE = "apiVersion: metallb.io/v1beta1\nkind: BGPPeer"

# the application team's Services, written for MetalLB 0.13 and never updated
SERVICES = """\
# Ingress for the shop
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: shop
  annotations:
    # ask for the web pool
    metallb.universe.tf/address-pool: web
    'metallb.universe.tf/allow-shared-ip': "shop"   # shared with shop-tls
spec:
  type: LoadBalancer
  selector: {app: shop}
  ports:
    - name: http
      port: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shop-tls
  namespace: shop
  annotations:
    metallb.io/adress-pool: web
spec:
  type: LoadBalancer
  loadBalancerIP: 10.20.0.10   # the address in DNS
  selector: {app: shop}
  ports:
    - {name: https, port: 443}
"""


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    done = capsys.readouterr()
    return status, done.out, done.err
