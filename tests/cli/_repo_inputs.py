"""Real-looking inputs for the suppression and baseline tests: MetalLB manifests of an edge
cluster and a lab site spec, with the comments people write in them."""

from __future__ import annotations

# pool-overlap (error) on the web-canary address (line 18), pool-subnet-edges (warning) on
# the web address (line 9)
MANIFESTS = """\
# MetalLB pools of the edge cluster
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: web
  namespace: metallb-system
spec:
  addresses:
    - 10.20.0.0/24
---
apiVersion: metallb.io/v1beta1
kind: IPAddressPool
metadata:
  name: web-canary
  namespace: metallb-system
spec:
  addresses:
    - 10.20.0.128/25
---
# one L2 advertisement for every pool
apiVersion: metallb.io/v1beta1
kind: L2Advertisement
metadata:
  name: all
  namespace: metallb-system
---
apiVersion: v1
kind: Service
metadata:
  name: shop
  namespace: default
  annotations:
    metallb.io/address-pool: web
spec:
  type: LoadBalancer
  ports: [{port: 443}]
"""

OVERLAP = "    - 10.20.0.128/25\n"
EDGES = "    - 10.20.0.0/24\n"

# site-pool-reserved (error) on the pool's addresses (line 30)
SITE = """\
# the lab site: one cluster, one L2 pool
apiVersion: gitops-lb.io/v1alpha1
kind: Site
metadata:
  name: lab
spec:
  platform: acp
  argocd:
    namespace: argocd
    project: default
    repoURL: https://git.example.com/platform/lb.git
    targetRevision: main
    path: deploy
  networks:
    - name: vlan10
      cidr: 192.168.10.0/24
      gateway: 192.168.10.1
      reserved: [192.168.10.1-192.168.10.31]
  clusters:
    - name: work
      server: https://192.168.10.10:6443
      nodes:
        - name: node-a
          labels: {kubernetes.io/hostname: node-a}
          interfaces:
            - {name: eth3, network: vlan10, address: 192.168.10.11}
      pools:
        - name: web
          # the gateway's neighbours are free in this lab
          addresses: [192.168.10.16/28]
          l2:
            interfaces: [eth3]
"""

RESERVED = "          addresses: [192.168.10.16/28]\n"
