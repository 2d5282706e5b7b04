"""Veto rules (单项否决): any one makes the site 不合格. Most aggregate other rules' findings."""
from __future__ import annotations

from datetime import timedelta

from audits.registry import Param, rule
from audits.rules._util import checked, cutoff, entries_by_column, in_category, newest
from snapshot.categories import label
from snapshot.model import COLUMN_UNVERIFIED, HOMEPAGE_SCRIPTED


@rule("veto.homepage_stale", title="首页不更新", severity="veto", source="19号 首页不更新",
      params=(Param("days", 14, "首页更新期限（天）"),))
def homepage_stale(ctx):
    """首页最新带日期信息早于期限；首页无带日期信息（导航式首页）时按动态要闻类栏目（二级页面）判断。
    只在首页内容按访问者所见读取时判断：静态页面不含可能改变内容的脚本，或经浏览器渲染；
    否则（如 --render never 而首页含脚本）记为未能确认，不作否决。"""
    days = ctx.params["days"]
    # The homepage as fetched, although a live script could change what a visitor sees there
    # (a news block filled by XHR/JSONP, document.write, an app): a veto needs what was seen.
    unseen = ctx.snapshot.run.homepage_seen == HOMEPAGE_SCRIPTED
    oldest_fresh = cutoff(ctx.as_of, days=days)
    last = newest(ctx.snapshot.homepage_entries)
    where = "首页"
    if last is None:
        # A navigation-only homepage: judge its second-level pages (the news columns) instead.
        news = in_category(ctx.snapshot, "news")
        by_column = entries_by_column(ctx.snapshot)
        last = newest([e for c in news if checked(c) for e in by_column.get(c.id, [])])
        if last is None:
            ctx.note("首页及动态要闻类栏目均无带日期的信息，未能判断首页是否更新")
            return
        if last < oldest_fresh and unseen:
            ctx.note(_UNSEEN_NOTE.format(what="首页未读到带日期的信息"))
            return
        if last < oldest_fresh and not all(checked(c) for c in news):
            # The newest item may sit in a column we could not read: a veto needs firm evidence.
            ctx.note("首页无带日期的信息，且部分动态要闻类栏目未能检查，未能判断首页是否更新")
            return
        where = "首页无带日期的信息，按动态要闻类栏目判断："
    if last < oldest_fresh and unseen:
        ctx.note(_UNSEEN_NOTE.format(what=f"首页静态页面中最新信息发布于{last.isoformat()}"))
        return
    if last < oldest_fresh:
        run = ctx.snapshot.run
        yield ctx.finding(f"{where}最新信息发布于{last.isoformat()}，已超过{days}天未更新",
                          url=run.site_url, title=run.site_name)


_UNSEEN_NOTE = ("首页含可能在加载后改变内容的脚本，未经浏览器渲染确认（{what}），"
                "未能确认首页是否更新，未作单项否决")


@rule("veto.blank_columns", title="空白栏目过多", severity="veto", source="19号 栏目不更新 3",
      needs=("column.empty",), params=(Param("min_columns", 5, "空白栏目达到此数即否决"),))
def blank_columns(ctx):
    """空白栏目（column.empty，须有为空的确证）数量达到阈值；未能确认的栏目不计入。"""
    empty = ctx.findings_of("column.empty")
    unsure = [c.name for c in ctx.snapshot.columns if c.status == COLUMN_UNVERIFIED]
    if unsure and len(empty) < ctx.params["min_columns"] <= len(empty) + len(unsure):
        ctx.note(f"{len(unsure)}个栏目未能确认是否空白（{'、'.join(unsure)}），未计入空白栏目，"
                 "是否达到空白栏目否决标准的结论不完整")
    if len(empty) >= ctx.params["min_columns"]:
        names = "、".join(f.column for f in empty)
        yield ctx.finding(f"共有{len(empty)}个空白栏目：{names}", url=_section(ctx.snapshot.run),
                          title=ctx.snapshot.run.site_name)


@rule("veto.stale_columns", title="栏目不更新过多", severity="veto", source="19号 栏目不更新 1–2",
      needs=("column.stale",), params=(
          Param("min_news_notice", 5, "动态要闻类与通知公告政策文件类不更新栏目达到此数即否决"),
          Param("min_all", 10, "三类栏目中不更新栏目合计达到此数即否决"),
      ))
def stale_columns(ctx):
    """动态要闻类+通知公告政策文件类不更新栏目达到阈值，或三类合计达到阈值。"""
    by_url = {c.url: c for c in ctx.snapshot.columns}
    stale = ctx.findings_of("column.stale")
    key = [f for f in stale if by_url.get(f.url) and by_url[f.url].category in ("news", "notice_policy")]
    run = ctx.snapshot.run
    if len(key) >= ctx.params["min_news_notice"]:
        cats = f"{label('news')}、{label('notice_policy')}栏目"
        chosen = key
    elif len(stale) >= ctx.params["min_all"]:
        cats = "栏目"
        chosen = stale
    else:
        return
    names = "、".join(f.column for f in chosen)
    yield ctx.finding(f"共有{len(chosen)}个{cats}长期未更新：{names}", url=_section(run),
                      title=run.site_name)


def _section(run) -> str:
    """Column vetoes point at the disclosure section, where the columns are listed."""
    return run.section_url or run.site_url


@rule("veto.unreachable", title="站点长期无法访问", severity="veto", source="19号 站点无法访问",
      params=(Param("days", 7, "统计最近多少天的监测记录"),
              Param("max_failed_share", 0.05, "失败或超时探测所占比例的上限"),
              Param("slow_seconds", 15, "单次探测超过多少秒视为失败"),
              Param("min_probes", 20, "至少有多少次探测才作判断")),
      needs_site=False)
def unreachable_history(ctx):
    """最近7天的可用性监测（zwgk probe，每天20次以上）中，失败或耗时15秒以上的探测达到5%。"""
    p = ctx.params
    start = ctx.as_of - timedelta(days=p["days"] - 1)
    window = [x for x in ctx.snapshot.probes if start <= x.at.date() <= ctx.as_of]
    if len(window) < p["min_probes"]:
        ctx.note(f"最近{p['days']}天可用性监测记录不足{p['min_probes']}次（共{len(window)}次），未判断站点是否长期无法访问")
        return
    failed = [x for x in window if x.outcome != "ok" or (x.elapsed or 0) >= p["slow_seconds"]]
    share = len(failed) / len(window)
    if share >= p["max_failed_share"]:
        run = ctx.snapshot.run
        yield ctx.finding(f"最近{p['days']}天{len(window)}次可用性监测中{len(failed)}次无法访问或超过"
                          f"{p['slow_seconds']}秒（{share:.1%}），达到{p['max_failed_share']:.0%}",
                          url=run.site_url, title=run.site_name)
