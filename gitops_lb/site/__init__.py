"""The site spec: one short file per site that compiles to MetalLB, Argo CD and plan output."""
