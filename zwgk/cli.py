"""The `zwgk` command: parses arguments, wires the parts, owns exit codes.

Exit status (contract.md): 0 the audit ran (findings or not, an unreachable site included);
2 bad arguments or config, with one line naming what is wrong; 1 internal failure, with the
log's path.
"""
from __future__ import annotations

import argparse
import json
import sys
import traceback
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from . import __version__


class UsageError(Exception):
    """Bad input from the user: one line, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):       # one line, not argparse's usage dump
        raise UsageError(message)


def _url(value: str) -> str:
    parsed = urlparse(value.strip())
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise argparse.ArgumentTypeError(
            f"无效的网址 {value!r}：请给出以 http:// 或 https:// 开头的网站首页地址")
    return value.strip()


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"无效的日期 {value!r}：格式应为 YYYY-MM-DD") from None


def _positive(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{value!r}")
    return n


def _seconds(value: str) -> float:
    try:
        n = float(value)
    except ValueError:
        n = 0
    if n <= 0:
        raise argparse.ArgumentTypeError(f"应为正数（秒）：{value!r}")
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="zwgk", description="政务公开合规检查：抓取政府网站信息公开专栏并评估。")
    p.add_argument("--version", action="version", version=f"zwgk {__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    a = sub.add_parser("audit", help="抽查一个网站：从首页地址开始抓取、评估并生成评分表")
    a.add_argument("url", type=_url, help="网站首页地址")
    a.add_argument("--out", type=Path, help="输出目录（默认 zwgk-out/<host>/<as-of>）")
    a.add_argument("--as-of", type=_date, help="评估基准日 YYYY-MM-DD（默认：上海时区今天）")
    a.add_argument("--kind", choices=["department", "government", "auto"], default="auto")
    a.add_argument("--name", default="", help="报告中的网站名称")
    a.add_argument("--max-pages", type=_positive, help="最多抓取页数")
    a.add_argument("--render", choices=["auto", "never", "always"], default="auto")
    a.add_argument("--ignore-robots", action="store_true", help="不遵守 robots.txt（授权检查用）")
    a.add_argument("--per-host", type=_positive, default=2, help="每个主机同时请求数")
    a.add_argument("--no-throttle", action="store_true", help="关闭自适应限速（仅限自有服务器）")
    a.add_argument("--timeout", type=_seconds, default=15.0, help="单次请求超时秒数（默认 15）")
    a.add_argument("--config", type=Path, help="配置文件（YAML）")
    a.add_argument("--db", default="zwgk.db", help="快照数据库（SQLite 文件或 postgresql://…）")

    i = sub.add_parser("inspect", help="查看 zwgk 从一个页面读出的内容（JSON）")
    i.add_argument("target", help="页面地址或已保存的文件")
    i.add_argument("--base-url", help="文件对应的网址")
    i.add_argument("--encoding", help="指定编码（默认自动识别）")

    pr = sub.add_parser("probe", help="可用性监测：逐一打开清单中各网站首页并记录结果")
    pr.add_argument("sites", type=Path, help="站点清单（YAML 或 CSV：name, url, kind, group）")
    pr.add_argument("--db", default="zwgk.db", help="数据库（SQLite 文件或 postgresql://…）")

    r = sub.add_parser("rules", help="列出规则目录")
    r.add_argument("--format", choices=["text", "markdown", "json"], default="text")

    d = sub.add_parser("demo", help="对内置示例网站做一次评估，输出评分表路径")
    d.add_argument("--out", type=Path, help="输出目录")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            raise UsageError("缺少子命令：audit、inspect、probe、rules 或 demo（zwgk --help 查看用法）")
        return {"audit": cmd_audit, "inspect": cmd_inspect, "probe": cmd_probe,
                "rules": cmd_rules, "demo": cmd_demo}[args.command](args)
    except UsageError as exc:
        print(f"zwgk: 错误: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:     # `zwgk inspect … | head`
        return 0
    except KeyboardInterrupt:
        print("zwgk: 已中断；已抓取的结果保存在快照数据库中", file=sys.stderr)
        return 130


def _load_config(path: Path | None):
    from audits.config import ConfigError, load_config
    if path is None:
        return None
    if not path.is_file():
        raise UsageError(f"配置文件不存在：{path}")
    try:
        return load_config(path)
    except ConfigError as exc:
        raise UsageError(f"配置文件 {path} 有误：{exc}") from None


def _internal_failure(log: Path) -> int:
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("a", encoding="utf-8") as fh:
        fh.write(traceback.format_exc())
    print(f"zwgk: 内部错误，评估未完成。详见日志：{log}", file=sys.stderr)
    return 1


def cmd_audit(args) -> int:
    from audits import default_as_of

    from .crawl import CrawlOptions
    from .jobs import AuditJob, run_audit

    config = _load_config(args.config)
    as_of = args.as_of or default_as_of()
    host = urlparse(args.url).netloc.replace(":", "_")
    out = args.out or Path("zwgk-out") / host / as_of.isoformat()
    job = AuditJob(
        url=args.url, out_dir=out, as_of=as_of, db=args.db, kind=args.kind, name=args.name,
        config=config,
        crawl=CrawlOptions(max_pages=args.max_pages, render=args.render,
                           obey_robots=not args.ignore_robots, per_host=args.per_host,
                           throttle=not args.no_throttle, timeout=args.timeout))
    try:
        scorecard = run_audit(job)
    except Exception:  # noqa: BLE001 — anything unexpected is ours: say so, keep the trace
        return _internal_failure(out / "zwgk.log")
    print(scorecard.resolve())
    return 0


def cmd_inspect(args) -> int:
    from crawler.inspect import inspect_file, inspect_page

    from .fetch import fetch_once

    target = args.target
    try:
        if urlparse(target).scheme in ("http", "https"):
            body, final_url, _ = fetch_once(target)
            result = inspect_page(body, final_url, encoding=args.encoding)
        else:
            path = Path(target)
            if not path.is_file():
                raise UsageError(f"找不到文件：{target}（或请给出 http:// / https:// 网址）")
            result = inspect_file(path, base_url=args.base_url, encoding=args.encoding)
    except (LookupError, ValueError) as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"无法读取 {target}：{exc}") from None
    json.dump(result, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 0


def cmd_probe(args) -> int:
    from .probe import probe_sites
    from .registry import RegistryError, load_registry

    if not args.sites.is_file():
        raise UsageError(f"站点清单不存在：{args.sites}")
    try:
        sites = load_registry(args.sites)
    except (RegistryError, ValueError) as exc:
        raise UsageError(f"站点清单 {args.sites} 有误：{exc}") from None
    for site, outcome, elapsed in probe_sites(sites, args.db):
        print(f"{site.name}\t{site.url}\t{outcome}\t{elapsed:.2f}s")
    return 0


def cmd_rules(args) -> int:
    from audits.catalog import render_catalog
    sys.stdout.write(render_catalog(args.format))   # the catalog ends with its own newline
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo
    try:
        scorecard = run_demo(args.out)
    except Exception:  # noqa: BLE001
        return _internal_failure((args.out or Path("zwgk-out/demo")) / "zwgk.log")
    print(scorecard.resolve())
    return 0


if __name__ == "__main__":
    sys.exit(main())
