"""compile: lowered site specs -> the Argo CD source tree (manifests, Applications, plans).

tree.compile_targets builds the files in memory (pure, deterministic); writer puts them into
the output folder atomically. yamlout is the YAML writer both rely on.
"""
