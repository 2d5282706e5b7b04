"""The registry of sites for `zwgk run` and `zwgk probe`: YAML or CSV (UTF-8), one site a row with
`name`, `url`, optional `kind` (government | department), `group` (区直部门, 镇街 …), `ident`
(网站标识码), `host_org` (主办单位) and, in YAML, `config:` — per-site overrides in the shape of
the `--config` file (rules, disable, columns, kind, holidays).

A bad registry is rejected whole (RegistryError, one line naming the row and field): a nightly
job that silently skipped a misspelt site would report it as never checked.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml

KINDS = ("auto", "government", "department")
REQUIRED = ("name", "url")
OPTIONAL = ("kind", "group", "ident", "host_org")
# Header spellings an office's spreadsheet may use for the same columns.
ALIASES = {"网站名称": "name", "名称": "name", "网址": "url", "首页地址": "url", "类型": "kind",
           "分组": "group", "网站标识码": "ident", "标识码": "ident", "主办单位": "host_org"}


class RegistryError(ValueError):
    """A bad registry file; the message is one line naming the row and field."""


@dataclass(frozen=True)
class Site:
    name: str
    url: str
    kind: str = "auto"
    group: str = ""
    ident: str = ""         # 网站标识码
    host_org: str = ""      # 主办单位
    config: dict = field(default_factory=dict, hash=False, compare=False)   # per-site overrides

    @property
    def host(self) -> str:
        """The server the site lives on (host and port): the unit of the per-host limit."""
        parts = urlsplit(self.url)
        return (parts.hostname or "") + (f":{parts.port}" if parts.port else "")


def url_key(url: str) -> str:
    """The same homepage written two ways (case of the host, a trailing slash) is one site."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/")
    for index in ("/index.html", "/index.htm", "/index.shtml", "/index.jsp", "/default.html"):
        if path.lower().endswith(index):
            path = path[: -len(index)]
    return f"{parts.scheme.lower()}://{(parts.netloc or '').lower()}{path}" + (
        f"?{parts.query}" if parts.query else "")


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RegistryError(f"{path.name}: 无法读取（{exc.strerror or exc}）") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryError(f"{path.name}: 不是 UTF-8 编码（Excel 另存为时请选“CSV UTF-8”）") from None


def _rows(path: Path) -> list:
    text = _read_text(path)
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        try:
            data = yaml.safe_load(text) or []
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f"第{mark.line + 1}行" if mark else ""
            raise RegistryError(f"{path.name}: 不是有效的 YAML{where}") from None
        rows = data.get("sites", []) if isinstance(data, dict) else data
        if not isinstance(rows, list):
            raise RegistryError(f"{path.name}: 应为站点列表（或 sites: 下的列表）")
        return rows
    if suffix == ".csv":
        reader = csv.DictReader(io.StringIO(text, newline=""))
        header = [ALIASES.get((h or "").strip(), (h or "").strip()) for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise RegistryError(f"{path.name}: 缺少列 {'、'.join(missing)}（表头应含 name,url）")
        reader.fieldnames = header
        return [{k: v for k, v in row.items() if k is not None} for row in reader
                if any((v or "").strip() for k, v in row.items() if k is not None)]
    raise RegistryError(f"{path.name}: 站点清单应为 .yaml/.yml 或 .csv 文件")


def load_registry(path: Path) -> list[Site]:
    """Every site of the registry, in file order; RegistryError on the first bad row."""
    from audits.config import AuditConfig, ConfigError

    path = Path(path)
    yaml_file = path.suffix.lower() in (".yaml", ".yml")
    sites: list[Site] = []
    names: dict[str, int] = {}
    urls: dict[str, int] = {}
    for n, row in enumerate(_rows(path), 1):
        where = f"第{n}个站点" if yaml_file else f"第{n}行"
        if not isinstance(row, dict):
            raise RegistryError(f"{where}: 应为含 name、url 的记录")
        row = {ALIASES.get(str(k).strip(), str(k).strip()): v for k, v in row.items()}
        if yaml_file:
            unknown = [k for k in row if k not in (*REQUIRED, *OPTIONAL, "config")]
            if unknown:
                raise RegistryError(f"{where}: 未知字段 {unknown[0]}（可用：name、url、kind、group、"
                                    f"ident、host_org、config）")
        for key in REQUIRED:
            if not str(row.get(key) or "").strip():
                raise RegistryError(f"{where}: 缺少 {key}")
        name = str(row["name"]).strip()
        url = str(row["url"]).strip()
        parts = urlsplit(url)
        try:
            parts.port
        except ValueError:
            raise RegistryError(f"{where} url: 无效的网址 {url!r}") from None
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in url:
            raise RegistryError(f"{where} url: 无效的网址 {url!r}（应以 http:// 或 https:// 开头）")
        kind = str(row.get("kind") or "auto").strip()
        if kind not in KINDS:
            raise RegistryError(f"{where} kind: 应为 government/department/auto，实为 {kind!r}")
        if name in names:
            raise RegistryError(f"{where}: 网站名称「{name}」与第{names[name]}项重复")
        key = url_key(url)
        if key in urls:
            raise RegistryError(f"{where}: 网址 {url} 与第{urls[key]}项重复")
        names[name], urls[key] = n, n
        overrides = row.get("config") or {}
        if overrides:
            if not isinstance(overrides, dict):
                raise RegistryError(f"{where} config: 应为与 --config 文件同样的键值映射")
            try:
                AuditConfig.from_mapping(overrides, base_dir=path.parent)
            except ConfigError as exc:
                raise RegistryError(f"{where} config: {exc}") from None
        sites.append(Site(name=name, url=url, kind=kind, group=str(row.get("group") or "").strip(),
                          ident=str(row.get("ident") or "").strip(),
                          host_org=str(row.get("host_org") or "").strip(), config=dict(overrides)))
    if not sites:
        raise RegistryError(f"{path.name}: 清单中没有站点")
    return sites
