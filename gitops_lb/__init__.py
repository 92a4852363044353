"""gitops-lb: compile, lint and reconcile MetalLB configuration for GitOps."""

__version__ = "0.1.0"
