"""The `--live-dir` layout: DIR/SITE/CLUSTER/*.yaml."""

from pathlib import Path

from gitops_lb.reconcile.livedir import cluster_dump_files


def test_dump_files_are_listed_in_name_order(tmp_path: Path) -> None:
    folder = tmp_path / "dc1" / "prod"
    folder.mkdir(parents=True)
    for name in ("b.yaml", "a.yml", "notes.txt"):
        (folder / name).write_text("{}\n")
    (folder / "sub.yaml").mkdir()
    assert cluster_dump_files(tmp_path, "dc1", "prod") == [
        str(folder / "a.yml"),
        str(folder / "b.yaml"),
    ]


def test_missing_folder_differs_from_empty_folder(tmp_path: Path) -> None:
    assert cluster_dump_files(tmp_path, "dc1", "prod") is None
    (tmp_path / "dc1" / "prod").mkdir(parents=True)
    assert cluster_dump_files(tmp_path, "dc1", "prod") == []
