"""A small clean site body (under spec:) that the rule tests vary."""

NODES = """\
    nodes:
      - name: n1
        labels: {rack: r1}
        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.11}
      - name: n2
        labels: {rack: r2}
        interfaces:
          - {name: eth0, network: vlan10, address: 192.168.10.12}
          - {name: eth1, network: vlan20, address: 192.168.20.12}
"""

BASE = (
    """\
networks:
  - name: vlan10
    cidr: 192.168.10.0/24
    gateway: 192.168.10.1
    reserved: [192.168.10.2-192.168.10.9]
  - name: vlan20
    cidr: 192.168.20.0/24
clusters:
  - name: a
    server: https://a:6443
    clusterCIDRs: [10.244.0.0/16]
    serviceCIDRs: [10.96.0.0/12]
"""
    + NODES
    + """\
    pools:
      - name: web
        addresses: [192.168.10.64/27]
        l2: {interfaces: [eth0]}
      - name: edge
        addresses: [203.0.113.0/28]
        bgp: {peers: [tor1]}
    bgpPeers:
      - name: tor1
        myASN: 64512
        peerASN: 64513
        peerAddress: 10.0.0.1
        nodeSelectors: [{matchLabels: {rack: r1}}]
"""
)
