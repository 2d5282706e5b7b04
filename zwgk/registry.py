"""The registry of sites for `zwgk run` and `zwgk probe`: YAML or CSV, one site a row with
`name`, `url`, optional `kind` (government | department) and `group` (区直部门, 镇街 …)."""
from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import yaml


class RegistryError(ValueError):
    """A bad registry file; the message is one line naming the row and field."""


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    kind: str = "auto"
    group: str = ""


def load_registry(path: Path) -> list[Site]:
    if path.suffix.lower() in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise RegistryError(f"{path.name}: 不是有效的 YAML（{str(exc).splitlines()[0]}）") from None
        rows = data.get("sites", []) if isinstance(data, dict) else data
    elif path.suffix.lower() == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    else:
        raise RegistryError(f"{path.name}: 站点清单应为 .yaml/.yml 或 .csv 文件")
    if not isinstance(rows, list):
        raise RegistryError(f"{path.name}: 应为站点列表")
    sites = []
    for n, row in enumerate(rows, 1):
        if not isinstance(row, dict):
            raise RegistryError(f"第{n}行: 应为含 name、url 的记录")
        url = str(row.get("url") or "").strip()
        parsed = urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise RegistryError(f"第{n}行 url: 无效的网址 {url!r}")
        kind = str(row.get("kind") or "auto").strip()
        if kind not in ("auto", "government", "department"):
            raise RegistryError(f"第{n}行 kind: 应为 government/department/auto，实为 {kind!r}")
        sites.append(Site(name=str(row.get("name") or parsed.hostname).strip(), url=url, kind=kind,
                          group=str(row.get("group") or "").strip()))
    return sites
