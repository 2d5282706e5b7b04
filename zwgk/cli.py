"""The `zwgk` command: parses arguments, wires the parts, owns exit codes.

Exit status (contract.md): 0 the audit ran (findings or not, an unreachable site included);
2 bad arguments or config, with one line naming what is wrong; 1 internal failure, with the
log's path.
"""
from __future__ import annotations

import argparse
import json
import os
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


SCREENSHOTS_HELP = "为空白栏目、栏目不更新、链接不可用的问题页面截图（默认：找到浏览器且 --render 不为 never 时截图）"


CACHE_HELP = ("增量检查：文档和附件的 HTTP 缓存根目录（按网站分目录；条件请求 ETag/Last-Modified，"
              "栏目列表页总是重新抓取）；默认 $ZWGK_CACHE，未设置则不缓存")


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
    a.add_argument("--screenshots", action=argparse.BooleanOptionalAction, default=None,
                   help=SCREENSHOTS_HELP)
    a.add_argument("--ignore-robots", action="store_true", help="不遵守 robots.txt（授权检查用）")
    a.add_argument("--per-host", type=_positive, default=2, help="每个主机同时请求数")
    a.add_argument("--no-throttle", action="store_true", help="关闭自适应限速（仅限自有服务器）")
    a.add_argument("--timeout", type=_seconds, default=15.0, help="单次请求超时秒数（默认 15）")
    a.add_argument("--config", type=Path, help="配置文件（YAML）")
    a.add_argument("--db", default="zwgk.db", help="快照数据库（SQLite 文件或 postgresql://…）")
    a.add_argument("--cache", default=os.environ.get("ZWGK_CACHE") or "", help=CACHE_HELP)

    i = sub.add_parser("inspect", help="查看 zwgk 从一个页面读出的内容（JSON）")
    i.add_argument("target", help="页面地址或已保存的文件")
    i.add_argument("--base-url", help="文件对应的网址")
    i.add_argument("--encoding", help="指定编码（默认自动识别）")

    pr = sub.add_parser("probe", help="可用性监测：逐一打开清单中各网站首页并记录结果")
    pr.add_argument("sites", type=Path, help="站点清单（YAML 或 CSV：name, url, kind, group）")
    pr.add_argument("--db", default=os.environ.get("ZWGK_DB") or "zwgk.db",
                    help="数据库（默认 $ZWGK_DB，否则 zwgk.db；SQLite 文件或 postgresql://…）")

    rn = sub.add_parser("run", help="定期检查：并行抓取清单中的全部网站，生成评分表、仪表盘和通报")
    rn.add_argument("sites", type=Path, help="站点清单（YAML 或 CSV，UTF-8）")
    rn.add_argument("--out", type=Path, help="输出目录（默认 zwgk-out/<as-of>）")
    rn.add_argument("--db", default=os.environ.get("ZWGK_DB") or "zwgk.db",
                    help="数据库（历史记录；默认 $ZWGK_DB，否则 zwgk.db）")
    rn.add_argument("--as-of", type=_date, help="评估基准日 YYYY-MM-DD（默认：上海时区今天）")
    rn.add_argument("--config", type=Path, help="配置文件（YAML；可含 office: 和 warnings:）")
    rn.add_argument("--render", choices=["auto", "never", "always"], default="auto")
    rn.add_argument("--screenshots", action=argparse.BooleanOptionalAction, default=None,
                    help=SCREENSHOTS_HELP)
    rn.add_argument("--per-host", type=_positive, default=2, help="每个主机同时请求数")
    rn.add_argument("--no-throttle", action="store_true", help="关闭自适应限速（仅限自有服务器）")
    rn.add_argument("--ignore-robots", action="store_true", help="不遵守 robots.txt（授权检查用）")
    rn.add_argument("--timeout", type=_seconds, default=15.0, help="单次请求超时秒数（默认 15）")
    rn.add_argument("--max-pages", type=_positive, help="每个网站最多抓取页数")
    rn.add_argument("--concurrency", type=_positive, default=8, help="同时抓取的网站数（默认 8）")
    rn.add_argument("--cache", default=os.environ.get("ZWGK_CACHE") or "", help=CACHE_HELP)
    rn.add_argument("--round", default="", help="通报轮次，如 2026Q3（默认按基准日）")
    rn.add_argument("--deadline", type=_date, help="整改期限 YYYY-MM-DD（默认基准日后15天）")
    rn.add_argument("--distributed", action="store_true",
                    help="每个网站作为一个任务分发给 zwgk worker（Celery），全部完成后在本机生成报告")
    rn.add_argument("--broker", default=os.environ.get("ZWGK_BROKER") or "redis://127.0.0.1:6379/0",
                    help="Celery 消息队列（默认 $ZWGK_BROKER，否则 redis://127.0.0.1:6379/0）")
    rn.add_argument("--no-wait", action="store_true",
                    help="与 --distributed 合用：只分发，不等待；之后用 --report-only 生成报告")
    rn.add_argument("--report-only", action="store_true",
                    help="不抓取：等待分布式检查批次的全部网站检查完毕，生成评分汇总、仪表盘和通报"
                         "（默认该基准日最新的批次）")
    rn.add_argument("--batch", help="与 --report-only 合用：批次名（zwgk run --distributed 显示）")

    wk = sub.add_parser("worker", help="分布式检查的工作进程：执行 zwgk run --distributed 分发的网站")
    wk.add_argument("--db", default=os.environ.get("ZWGK_DB") or None,
                    help="数据库（默认 $ZWGK_DB，否则用分发方给出的地址）")
    wk.add_argument("--broker", default=os.environ.get("ZWGK_BROKER") or "redis://127.0.0.1:6379/0",
                    help="Celery 消息队列（默认 $ZWGK_BROKER，否则 redis://127.0.0.1:6379/0）")
    wk.add_argument("--concurrency", type=_positive, default=4, help="同时抓取的网站数（默认 4）")
    wk.add_argument("--loglevel", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])

    t = sub.add_parser("triage", help="处理意见：人工排除、已说明、报备")
    tsub = t.add_subparsers(dest="triage_command", parser_class=_Parser)
    db_help = "数据库（默认 $ZWGK_DB，否则 zwgk.db）"
    by_default = os.environ.get("USER") or os.environ.get("USERNAME") or ""
    ti = tsub.add_parser("import", help="从通报表格（tongbao.xlsx 问题明细）读回处理意见")
    ti.add_argument("xlsx", type=Path)
    tl = tsub.add_parser("list", help="列出处理意见")
    tl.add_argument("--all", action="store_true", help="包括已撤销的")
    ts = tsub.add_parser("set", help="对一个问题作出处理")
    ts.add_argument("fingerprint", help="问题指纹（或其前 6 位以上）")
    ts.add_argument("decision", choices=["excluded", "explained", "exempt", "人工排除", "已说明", "报备"])
    ts.add_argument("--reason", default="", help="理由（人工排除必填）")
    ts.add_argument("--from", dest="start", type=_date, help="报备起始日期")
    ts.add_argument("--to", dest="end", type=_date, help="报备截止日期")
    tc = tsub.add_parser("clear", help="撤销一个问题的处理意见")
    tc.add_argument("fingerprint")
    for sp in (ti, tl, ts, tc):
        sp.add_argument("--db", default=os.environ.get("ZWGK_DB") or "zwgk.db", help=db_help)
        sp.add_argument("--by", default=by_default, help="处理人（默认 $USER）")

    dbp = sub.add_parser("db", help="数据库：zwgk db upgrade 把数据库升级到本版本的结构")
    dsub = dbp.add_subparsers(dest="db_command", parser_class=_Parser)
    dsub.add_parser("upgrade", help="升级数据库结构（含旧版 zwgk 建立的数据库），保留全部历史").add_argument(
        "--db", default=os.environ.get("ZWGK_DB") or "zwgk.db",
        help="数据库（默认 $ZWGK_DB，否则 zwgk.db；SQLite 文件或 postgresql://…）")

    r = sub.add_parser("rules", help="列出规则目录")
    r.add_argument("--format", choices=["text", "markdown", "json"], default="text")

    d = sub.add_parser("demo", help="演示：对内置示例网站连续两晚定期检查，输出仪表盘和通报路径")
    d.add_argument("--out", type=Path, help="输出目录")
    d.add_argument("--site", action="store_true", help="只对一个示例网站做一次抽查（评分表）")
    return p


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if not args.command:
            raise UsageError("缺少子命令：audit、run、triage、inspect、probe、db、rules 或 demo"
                             "（zwgk --help 查看用法）")
        if args.command in ("audit", "run"):
            _check_as_of_and_out(args)  # before the database: a refused command writes nothing
        if args.command != "db" and isinstance(getattr(args, "db", None), str):
            from .db import check_db
            check_db(args.db)       # a bad or unreachable --db: one line, exit 2, nothing run
        from .db import cmd_db
        return {"audit": cmd_audit, "inspect": cmd_inspect, "probe": cmd_probe, "run": cmd_run,
                "triage": cmd_triage, "rules": cmd_rules, "demo": cmd_demo,
                "db": cmd_db, "worker": cmd_worker}[args.command](args)
    except UsageError as exc:
        print(f"zwgk: 错误: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:     # `zwgk inspect … | head`
        return 0
    except KeyboardInterrupt:
        print("zwgk: 已中断；已抓取的结果保存在快照数据库中", file=sys.stderr)
        return 130


def _check_as_of_and_out(args) -> None:
    """--as-of not after today (Shanghai): a future date judges columns stale that are not; --out
    a folder zwgk can write (or make). One line naming which, exit 2, nothing written."""
    from audits import default_as_of
    today = default_as_of()
    if args.as_of is not None and args.as_of > today:
        raise UsageError(f"评估基准日 {args.as_of.isoformat()} 晚于今天（{today.isoformat()}）："
                         "不能按未来的日期评估")
    out = getattr(args, "out", None)
    if out is None:
        return
    target = Path(out)
    if target.exists() and not target.is_dir():
        raise UsageError(f"输出目录 {out} 已存在且不是目录")
    probe = target
    while not probe.exists():
        if probe.parent == probe:
            break
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise UsageError(f"输出目录 {out} 无法写入（{probe} {'不是目录' if not probe.is_dir() else '没有写权限'}）")


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


def _screenshots(args) -> bool:
    """--screenshots / --no-screenshots; by default on where a browser is found and may be used."""
    if args.screenshots is not None:
        return args.screenshots
    if args.render == "never":
        return False
    from crawler.browser import find_chromium
    return find_chromium() is not None


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
                           throttle=not args.no_throttle, timeout=args.timeout, as_of=as_of,
                           docs_columns=config.crawl_columns() if config else {},
                           homepage_days=config.homepage_fresh_days() if config else None,
                           screenshots=_screenshots(args), cache_dir=args.cache))
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

    sites = _registry(args.sites)
    for site, outcome, elapsed in probe_sites(sites, args.db):
        print(f"{site.name}\t{site.url}\t{outcome}\t{elapsed:.2f}s")
    return 0


def _registry(path: Path):
    from .registry import RegistryError, load_registry
    if not path.is_file():
        raise UsageError(f"站点清单不存在：{path}")
    try:
        return load_registry(path)
    except RegistryError as exc:
        raise UsageError(f"站点清单 {path} 有误：{exc}") from None


def _crawl_columns(config: dict, path: Path | None) -> dict:
    """The per-column document bounds of a validated run config (columns: {栏目: {docs_min …}})."""
    from audits.config import AuditConfig
    if not config:
        return {}
    return AuditConfig.from_mapping(config, base_dir=path.parent if path else None).crawl_columns()


def _homepage_days(config: dict, path: Path | None) -> int | None:
    """The run config's 首页不更新 limit, or None for the rule's default."""
    from audits.config import AuditConfig
    if not config:
        return None
    return AuditConfig.from_mapping(config, base_dir=path.parent if path else None).homepage_fresh_days()


def cmd_run(args) -> int:
    from audits import default_as_of

    from .crawl import CrawlOptions
    from .run import Progress, RunConfigError, RunPlan, load_run_config, print_summary, run_sites

    sites = _registry(args.sites)
    if args.no_wait and not args.distributed:
        raise UsageError("--no-wait 须与 --distributed 合用")
    if args.batch and not args.report_only:
        raise UsageError("--batch 须与 --report-only 合用")
    if args.report_only and args.distributed:
        raise UsageError("--report-only 不分发网站，不能与 --distributed 合用")
    if args.distributed:
        from .distributed import check_broker
        problem = check_broker(args.broker)
        if problem:
            raise UsageError(problem)
    if args.config is not None and not args.config.is_file():
        raise UsageError(f"配置文件不存在：{args.config}")
    try:
        config, office, warnings = load_run_config(args.config)
    except RunConfigError as exc:
        raise UsageError(str(exc)) from None
    as_of = args.as_of or default_as_of()
    out = args.out or Path("zwgk-out") / as_of.isoformat()
    plan = RunPlan(
        sites=sites, out=out, db=args.db, as_of=as_of, config=config, office=office,
        warnings=warnings, concurrency=args.concurrency, round=args.round, deadline=args.deadline,
        base_dir=args.config.parent if args.config else None,
        crawl=CrawlOptions(max_pages=args.max_pages, render=args.render,
                           obey_robots=not args.ignore_robots, per_host=args.per_host,
                           throttle=not args.no_throttle, timeout=args.timeout, as_of=as_of,
                           docs_columns=_crawl_columns(config, args.config),
                           homepage_days=_homepage_days(config, args.config),
                           screenshots=_screenshots(args), cache_dir=args.cache))
    if args.report_only:
        from .distributed import NoBatch, report_batch
        try:
            result = report_batch(plan, args.batch, progress=Progress(len(sites)))
        except NoBatch as exc:
            raise UsageError(str(exc)) from None
        except Exception:  # noqa: BLE001
            return _internal_failure(out / "zwgk.log")
        print_summary(result)
        return 0
    try:
        if args.distributed:
            from .distributed import run_distributed
            result = run_distributed(plan, args.broker, progress=Progress(len(sites)),
                                     wait=not args.no_wait)
            if args.no_wait:
                print(f"批次：{result}（zwgk run {args.sites} --report-only --batch {result} 生成报告）")
                return 0
        else:
            result = run_sites(plan, progress=Progress(len(sites)))
    except Exception:  # noqa: BLE001
        return _internal_failure(out / "zwgk.log")
    print_summary(result)
    return 0


def cmd_worker(args) -> int:
    from .distributed import check_broker, start_worker
    problem = check_broker(args.broker)
    if problem:
        raise UsageError(problem)
    return start_worker(args.concurrency, args.broker, args.db, args.loglevel)


def cmd_triage(args) -> int:
    from audits.triage import TriageError
    from snapshot.store import Store

    from . import triage as tr

    if not args.triage_command:
        raise UsageError("缺少子命令：triage import|list|set|clear")
    if args.triage_command != "import" and not Path(args.db).is_file() and "://" not in args.db:
        raise UsageError(f"数据库不存在：{args.db}（请用 --db 指定 zwgk run 使用的数据库）")
    by = args.by or "unknown"
    try:
        if args.triage_command == "import":
            if not args.xlsx.is_file():
                raise UsageError(f"文件不存在：{args.xlsx}")
            result = tr.import_sheet(Store(args.db), args.xlsx, by=by)
            from audits.triage import LABELS
            done = "，".join(f"{LABELS[k]} {n} 条" for k, n in result.counts.items()) or "无新的处理意见"
            print(f"已导入：{done}；未变化 {result.unchanged} 条")
            if result.unmatched:
                rows = "、".join(str(n) for n in result.unmatched[:10])
                print(f"未找到对应问题的行：{rows}{' 等' if len(result.unmatched) > 10 else ''}",
                      file=sys.stderr)
            return 0
        store = Store(args.db)
        if args.triage_command == "list":
            for row in tr.listing(store, include_cleared=args.all):
                print("\t".join([row["fingerprint"], row["site"], row["rule"], row["decision"],
                                 row["reason"], row["by"], row["at"], row["url"]]
                                + ([f"已撤销 {row['cleared']}"] if row["cleared"] else [])))
            return 0
        finding = tr.resolve(store, args.fingerprint)
        if args.triage_command == "set":
            decision = tr.decision_from_args(args.decision, args.reason, args.start, args.end)
            stored = tr.record(store, finding, decision, by=by)
            print(f"{finding['fingerprint']}\t{decision.label()}" + ("" if stored else "（已是该处理意见）"))
        else:
            from datetime import datetime
            n = store.clear_triage(finding["fingerprint"], by=by, at=datetime.now().replace(microsecond=0))
            print(f"{finding['fingerprint']}\t已撤销 {n} 条处理意见")
        return 0
    except TriageError as exc:
        raise UsageError(str(exc)) from None


def cmd_rules(args) -> int:
    from audits.catalog import render_catalog
    sys.stdout.write(render_catalog(args.format))   # the catalog ends with its own newline
    return 0


def cmd_demo(args) -> int:
    from .demo import run_demo, run_nightly_demo
    try:
        if args.site:
            print(run_demo(args.out).resolve())
            return 0
        return run_nightly_demo(args.out)
    except Exception:  # noqa: BLE001
        return _internal_failure((args.out or Path("zwgk-out/demo")) / "zwgk.log")


if __name__ == "__main__":
    sys.exit(main())
