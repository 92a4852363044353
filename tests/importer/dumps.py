"""Real-looking inputs of `gitops-lb import`: what `kubectl get -o yaml` prints on a running
cluster (uids, resourceVersions, managed fields, status), and pre-0.13 configurations."""

NS = "metallb-system"

# `kubectl get ipaddresspools,l2advertisements -n metallb-system -o yaml`
METALLB_DUMP = f"""\
apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: metallb.io/v1beta1
  kind: IPAddressPool
  metadata:
    creationTimestamp: "2025-03-02T10:11:12Z"
    generation: 1
    name: web
    namespace: {NS}
    resourceVersion: "48211"
    uid: 6f1c6f9e-1d0b-4c55-9a39-0c1f5f3b8e21
  spec:
    addresses:
    - 192.168.10.64/27
    autoAssign: true
    avoidBuggyIPs: false
  status:
    assignedIPv4: 2
    assignedIPv6: 0
    availableIPv4: 30
    availableIPv6: 0
- apiVersion: metallb.io/v1beta1
  kind: L2Advertisement
  metadata:
    creationTimestamp: "2025-03-02T10:11:12Z"
    generation: 1
    name: web
    namespace: {NS}
    resourceVersion: "48212"
    uid: 1c3e4a52-7f0e-4d3e-8d8e-4b8f3a1f0c77
  spec:
    ipAddressPools:
    - web
"""

# `kubectl get services -A -o yaml`, trimmed to the LoadBalancer Services
SERVICES_DUMP = """\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata:
    annotations:
      metallb.io/ip-allocated-from-pool: web
      kubectl.kubernetes.io/last-applied-configuration: |
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"shop","namespace":"shop"}}
    creationTimestamp: "2025-03-03T08:00:00Z"
    name: shop
    namespace: shop
    resourceVersion: "50120"
    uid: 0a9d77c4-2b1c-44a8-9f57-3d5e9c0b1a10
  spec:
    allocateLoadBalancerNodePorts: true
    clusterIP: 10.96.14.7
    clusterIPs:
    - 10.96.14.7
    externalTrafficPolicy: Local
    healthCheckNodePort: 31877
    internalTrafficPolicy: Cluster
    ipFamilies:
    - IPv4
    ipFamilyPolicy: SingleStack
    ports:
    - name: https
      nodePort: 30443
      port: 443
      protocol: TCP
      targetPort: 8443
    selector:
      app: shop
    sessionAffinity: None
    type: LoadBalancer
  status:
    loadBalancer:
      ingress:
      - ip: 192.168.10.65
        ipMode: VIP
- apiVersion: v1
  kind: Service
  metadata:
    annotations:
      metallb.io/loadBalancerIPs: 192.168.10.70
    name: dns
    namespace: infra
    resourceVersion: "50188"
    uid: 5e2f0d61-4c1a-4f0b-8a43-6a4c9b1e2d33
  spec:
    clusterIP: 10.96.0.53
    clusterIPs:
    - 10.96.0.53
    externalTrafficPolicy: Cluster
    ports:
    - name: dns-udp
      nodePort: 31053
      port: 53
      protocol: UDP
      targetPort: 53
    selector:
      app: coredns
    type: LoadBalancer
  status:
    loadBalancer:
      ingress:
      - ip: 192.168.10.70
        ipMode: VIP
- apiVersion: v1
  kind: Service
  metadata:
    name: kubernetes
    namespace: default
  spec:
    clusterIP: 10.96.0.1
    ports:
    - name: https
      port: 443
      protocol: TCP
      targetPort: 6443
    type: ClusterIP
"""

# `kubectl get clusterplugininstances -o yaml` on an ACP workload cluster
ACP_PLUGINS_DUMP = """\
apiVersion: v1
kind: List
items:
- apiVersion: cluster.alauda.io/v1alpha1
  kind: ClusterPluginInstance
  metadata:
    annotations:
      cpaas.io/display-name: multus
    name: multus
    resourceVersion: "1201"
  spec:
    pluginName: multus
- apiVersion: cluster.alauda.io/v1alpha1
  kind: ClusterPluginInstance
  metadata:
    annotations:
      argocd.argoproj.io/sync-wave: "2"
      cpaas.io/display-name: metallb
    labels:
      create-by: cluster-transformer
      manage-delete-by: cluster-transformer
      manage-update-by: cluster-transformer
    name: metallb
    resourceVersion: "1202"
  spec:
    pluginName: metallb
"""

# the ConfigMap MetalLB v0.12's manifests read (`kubectl get cm config -n metallb-system -o yaml`)
LEGACY_CONFIGMAP = f"""\
apiVersion: v1
kind: ConfigMap
metadata:
  name: config
  namespace: {NS}
  resourceVersion: "912"
data:
  config: |
    peers:
    - peer-address: 10.0.0.1
      peer-asn: 64501
      my-asn: 64500
      hold-time: 120s
      node-selectors:
      - match-labels:
          rack: frontend
    bgp-communities:
      no-advertise: 65535:65282
    bfd-profiles:
    - name: fast
      receive-interval: 179
      transmit-interval: 180
    address-pools:
    - name: edge
      protocol: bgp
      addresses:
      - 198.51.100.0/24
      avoid-buggy-ips: true
      bgp-advertisements:
      - aggregation-length: 32
        localpref: 100
        communities:
        - no-advertise
      - aggregation-length: 24
    - name: lan
      protocol: layer2
      auto-assign: false
      addresses:
      - 192.168.1.240-192.168.1.250
"""

# values.yaml of the metallb Helm chart before 0.13 (`helm get values metallb -o yaml`)
HELM_VALUES = """\
# values of the metallb release (chart 0.12.1)
controller:
  image:
    tag: v0.12.1
configInline:
  address-pools:
  - name: default
    protocol: layer2
    addresses:
    - 10.20.0.100-10.20.0.150
speaker:
  tolerateMaster: true
"""
