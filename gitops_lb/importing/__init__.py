"""`gitops-lb import`: existing MetalLB configuration -> one site spec.

core: objects -> site document; legacy: the pre-0.13 configuration -> today's objects;
sources: the inputs (manifests, live dumps, legacy ConfigMaps, Helm values) -> objects;
output: the site document -> commented YAML.
"""
