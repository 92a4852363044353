"""MetalLB's API (models) and the semantics of its configuration parser."""
