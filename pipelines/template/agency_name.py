"""The publishing agency's name, read by a grammar rather than a free regex.

    name     := region+ organ [sub-region sub-suffix]      塔城地区 生态环境局 乌苏市 分局
              | region+ organ ordinal sub-suffix           成都市 公安局交通管理局 第一 分局
              | region+ township [government]              遂溪县 北坡镇 人民政府
    region   := a division of the Ministry of Civil Affairs list (any level, its short forms too:
                楚雄州, 克州, 神池), each inside the one before; a township missing from the list
                is read generically (…镇/乡/街道)
    organ    := stem suffix                                生态环境 局, 人民政府 办公厅

A candidate is accepted only when it parses whole, so words around a name (由, 了, 年, 欢迎来到,
现向社会公布, 关于) and page text (a site name, `来源：` lines) never become part of it. Candidates
are taken from the title (one line, split over two lines, or repeated as breadcrumb and heading),
then the preface sentence (由X编制, 现公布X2022年…), then the report's opening sentence (2022年,X坚持…),
then the signature, then the body (where X局办公室, the contact, stands for X局). A title that names only part of a
body (教育局, 郧阳分局, 北坡镇) is completed where the text supports it, else the name is unknown
and the reason says why.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache

from pipelines.formats.document import PageMeta
from pipelines.formats.simplified import simplified_if_traditional
from pipelines.template import divisions
from pipelines.template.labels import normalize

_HAN = "\u4e00-\u9fff"
# Longest first: the parser takes the first suffix that lets the rest of the span parse.
_ORGAN_SUFFIXES = (
    "人民政府办公厅",
    "人民政府办公室",
    "政府办公厅",
    "政府办公室",
    "人民政府",
    "管理委员会",
    "管委会",
    "管理区",  # 熊口管理区: a management area (a township-level body) publishes as itself
    "开发区",  # 随县经济开发区: a development zone publishes as itself
    # 天津港保税区2023年度…工作报告: a bonded zone publishes as itself, as a development zone does
    "综合保税区",
    "保税区",
    "中学",  # 安徽省涡阳第三中学: public schools publish too
    "小学",
    "学校",
    "大学",  # 重庆工商大学: universities publish under the same regulation
    "公司",  # 桐乡市水务集团有限公司: a state company publishes too
    "高新区",
    "委员会",
    "办公厅",
    "办公室",
    "研究室",  # 长春净月高新技术产业开发区政策研究室: a zone's policy research office publishes
    "办事处",
    "中心",
    "海关",  # 重庆海关, 湛江海关: a customs house is named after its city
    # 宝坻区消防救援支队, 枣庄高新区消防救援大队: fire and rescue units publish as themselves (大队 alone is a sub-unit)
    "消防救援总队",
    "消防救援支队",
    "消防救援大队",
    "消防救援站",
    # 台州银保监分局, 宿迁银监分局: the banking regulator's city branch publishes as itself (分局 alone needs its bureau)
    "银保监分局",
    "银监分局",
    # 国家统计局重庆调查总队: the statistics bureau's survey teams publish as themselves (天门调查队 a city's)
    "调查总队",
    "调查队",
    "局",
    "厅",
    "委",
    "署",
    "院",
    "站",
    "所",
    "馆",
    "处",
    "办",
)
_SUB_SUFFIXES = ("分局", "分中心", "分所", "派出所", "大队", "中队")
# A sub-unit numbered rather than named after its place: 第一分局, 第十二大队.
# (第三税务分局: the number may carry the organ's words)
_ORDINAL = re.compile(rf"第[一二三四五六七八九十百零]+[{_HAN}]{{0,4}}")
# A sub-unit named after the development zone it serves (高新区分局, 经开区分局,
# 高新技术产业开发区分局): the zone is no division of the list.
_ZONE_PLACE = re.compile(rf"[{_HAN}]{{0,8}}(?:高新区|开发区|经开区|新区|园区)")
# A zone's committee or office named after a place of its own (甘眉工业园区管委会, 苏银产业园管理委员会, 通航产业园管理办): no
# region to add where the text names none, and no common word (高新区管委会 has no place of its own).
_PLACE_ZONE_COMMITTEE = re.compile(
    rf"(?![高经本我该])[{_HAN}]{{2,8}}(?:开发区|园区|产业园|工业园|新区|生态区|经济区)(?:管委会|管理委员会|管理办)"
)
# A management area named after a place of its own (熊口管理区, 城东管理区): no division of the list.
_PLACE_AREA = re.compile(rf"(?![本我该全])[{_HAN}]{{2,6}}管理区")
# A university's name is its own, one in the country, with or without a place (长江大学, 中山大学).
_UNIVERSITY = re.compile(rf"[{_HAN}]{{2,12}}大学")
# A school by its short form, its number after its county's short name (怀远二中: 怀远县第二中学).
_SCHOOL_SHORT = re.compile("[一二三四五六七八九十]{1,2}[中小]")
# Suffixes that need a stem of two characters or more: 城东 + 管理区 is no organ of 城东区, nor 桐乡 + 市公司
# one of 桐乡市.
_STEM_NEEDED = ("管理区", "公司")
# Never inside an organ's stem: these are the sentence and page words seen glued onto names.
# (信息 but not 信息化 or 信息科技: 工业和信息化局, 经济和信息化局, 五常市工业信息科技局 are names)
_NOT_IN_STEM = re.compile(
    r"[\d年了由将在于向为对从的我本该其各]|信息(?!化|科技)|网站|门户|报告|欢迎|来到|公布|关于|根据|按照|编制|"
    r"全面|认真|坚持|加强|严格|依照|依据|针对|主办|承办|来源|发布|深入|贯彻|落实|分$|网$|党工?$"  # 网$: 略阳县人民政府网站 is a website; 党$: 党委
)
# …信息公开工作年度报告, and as real titles also word it: 信息公开年报, 信息公开年度工作报告,
# 信息公开工作的年度报告, 信息公开情况的报告; the year may sit inside it: 政府信息公开工作2022年度报告.
_TAIL_WORDS = r"信息公开(?:工作)?的?(?P<inner>20\d{2}(?=年))?(?:年度工作|年度|年|情况的?)?(?:报告|年报)"
_TITLE_TAIL = rf"(?:政府)?{_TAIL_WORDS}"
_TITLE_TAIL_RE = re.compile(rf"(?P<gov>政府)?{_TAIL_WORDS}")
# (a university's academic year: 2020-2021学年, 2023—2024学年度)
_ACADEMIC_YEAR = r"20\d{2}[-—–]20\d{2}学年度?"
_YEAR_RE = re.compile(rf"{_ACADEMIC_YEAR}|20\d{{2}}年度?")
# A title's second line: 2023年政府信息公开工作年度报告, or without its year under the name's line.
_YEAR_TITLE_LINE = re.compile(rf"(?:20\d{{2}}年度?|{_ACADEMIC_YEAR})?{_TITLE_TAIL}")
# A title whose tail has a typo (…政府信息公开 工作告年度报, characters swapped): only the tail's own
# words, on a title line by itself.
_TITLE_TYPO = re.compile(r"(?P<pre>.{2,40}?)20\d{2}年度?(?:政府)?信息公开[工作年度报告的情况]{4,10}")
_COMPILED_BY = re.compile(r"由(?P<name>[^,.;:!?()]{2,40}?)(?:负责)?编制")
# 由国家机关事务管理局根据《…》以及…《…》要求编制而成: the name opens a long clause before 编制.
_COMPILED_BY_LONG = re.compile(r"由(?P<rest>[^。;]{2,200}?)编制")
# 现公布长安区砲里街道2022年…, 现将穆寨街道办事处2021年度…报告如下, 特向社会公布2023年度莆田市公安局城厢分局…:
# the words between the verb and the year, or between the year and 政府信息公开, are the name.
# (…工作施展情况,编制形成额济纳旗2021年政府信息公开工作年度报告: the report it compiled into)
_PUBLISHES = re.compile(
    r"(?:现将|现公布|现公开|现发布|现予公布|特向社会公布|现向社会公布|现向社会公开|现面向社会公布|现面向社会公开|编制形成)"
    r"《?(?P<name>[^,.;:!?《》]{0,40}?)20\d{2}年度?"  # 现发布《安徽省涡阳第三中学2022年…》
)
# The name before the verb, the report's title in 《》 carrying the year alone:
# 岐山县教育体育局现向社会公开《2023年政府信息公开工作年度报告》.
_PUBLISHED_BY = re.compile(
    r"(?P<name>[^,.;:!?《》]{2,40}?)(?:现向社会公开|现向社会公布|现公布|现公开|现发布|特向社会公布)《20\d{2}年度?"
)
# …,交通运输部编制了本级行政机关2019年政府信息公开工作年度报告: the name before 编制了.
_COMPILED_IT = re.compile(r"(?P<name>[^,.;:!?《》()]{2,40}?)编制了")
# The opening sentence of 总体情况: 2022年,国家新闻出版署坚持…; 2025年,富强乡人民政府深入贯彻…;
# 截至2019年12月31日,牛街乡人民政府通过…; 今年以来,天门镇进一步…; the subject may follow a clause of who leads it
# (2021年,在县委县政府的正确领导下,大东坝镇人民政府根据…), and the sentence may follow its item's
# heading on the same line ((一)主动公开。2024年,路南街道在…; (一)贯彻落实条例规定。2020年,唐村镇…).
_OPENING_SUBJECT = re.compile(
    r"^(?:[(（]?[一二三四五六七八九十\d]+[)）、.]?)?(?:[^,.;:!?。\d]{2,12}[。.:])?"
    # (2019-2020学年,长江大学以…: a university's academic year)
    r"(?:(?:截至|截止)?20\d{2}年(?:度|以来|\d{1,2}月\d{1,2}日)?|今年以来|20\d{2}[-—–至]20\d{2}学年度?)[,:]?"
    r"(?:在[^,.;:!?。]{2,40}?[下中][,:])?"
    r"(?P<rest>[^,.;:!?。]{2,60})"
)
# A body's own office named as the contact (昌江区工信局办公室, 师宗县高良乡人民政府党政办公室,
# 长春市公安局政务公开办公室, 青阳县杜村乡办公室: a township's is its government's; 太和县中医院行政办公室: a
# hospital's; 宽城区档案馆办公室: an archive's): the publisher is the body. A county's 人民政府办公室 is a body itself.
_INTERNAL_OFFICE = re.compile(
    rf"(?P<owner>.+(?:局|委员会|管委会|委(?!会)|厅|高新区|开发区|经开区|中心|署|海关|院|馆|大学|学校|公司|镇人民政府|乡人民政府|办事处|镇|乡|街道))"
    rf"(?P<office>[{_HAN}]{{0,8}}办公室)"
)
# Bodies of a vertically managed system carry the system's name before their region: 国家税务总局
# 佛山市税务局 is the tax bureau's whole name (佛山市税务局 its short form).
_SYSTEM_PREFIXES = (("国家税务总局", "税务局"), ("国家统计局", "调查总队"), ("国家统计局", "调查队"))
# The State Council's ministries publish under names with no region and no 国家 (交通运输部, 财政部):
# a closed list, as 部 ends too many words (全部, 内部, 干部) to be an organ's suffix.
_MINISTRIES = frozenset(
    (
        "外交部",
        "国防部",
        "教育部",
        "科学技术部",
        "工业和信息化部",
        "公安部",
        "国家安全部",
        "民政部",
        "司法部",
        "财政部",
        "人力资源和社会保障部",
        "自然资源部",
        "生态环境部",
        "住房和城乡建设部",
        "交通运输部",
        "水利部",
        "农业农村部",
        "商务部",
        "文化和旅游部",
        "退役军人事务部",
        "应急管理部",
        "海关总署",  # the General Administration of Customs (海关 opens it, so no suffix reads it)
    )
)
_MINISTRY_STARTS = frozenset(m[:2] for m in _MINISTRIES)
# A body's party organs (杭州市公安局党委) lead it; they never publish its report.
_PARTY_ORGANS = ("党委", "党组", "党工委")
# A region's party committee (滨江区委 = 滨江 + 区委, 县委, 市委) leads its government; it never
# publishes a government report.
_REGION_COMMITTEES = frozenset(c + "委" for c in "省市区县州旗盟镇乡")
# X(以下简称Y): the rest of the text names the body by Y (quotes are gone after normalize()).
# A body's own office or (a zone's) committee after its name: 呼和浩特经济技术开发区 + 党政办公室, + 管理委员会
_OWN_UNIT = re.compile(rf"[{_HAN}]{{0,6}}办公室|管理委员会|管委会")
# 2021年,县统计局积极…: an organ named by its level alone (县, 区, 市, 旗) at a sentence's start
_LEVEL_ORGAN = re.compile(
    rf"(?:^|(?<=[,。;:、年]))(?P<level>[县区市旗])(?P<organ>政府办公室|[{_HAN}]{{2,10}}?局)", re.M
)
# A county's or city's portal by its short name (在“中国如东”政府门户网站…, 中国·济宁): the place is a division's short form.
_PORTAL_SHORT = re.compile(rf"中国[·・•]?(?P<place>[{_HAN}]{{2,4}}?)[”\"]?(?:政府)?(?:门户)?网")
# 综合2017年度丽水市各县(市、区)政府和市级各部门的…报告编制而成: a summary of the region's reports is its government's
_SUMMARY_OF = re.compile(
    rf"(?:综合|汇总)(?:20\d{{2}}年度?)?(?P<region>[{_HAN}]{{2,12}}?)(?:各县|各区|各乡|各部门|所辖)"
)
_ALIAS = re.compile(rf"\((?:以下简称|以下称|下称|简称)(?P<short>[{_HAN}]{{2,20}})")
# A page's index fields: the title's (名称) and the publisher's (发布机构), the value in the next cell or line.
_NAME_FIELD = re.compile(rf"名称[:|]+(?P<title>[^|:]{{4,80}}?{_TITLE_TAIL})")
_TITLE_LABEL = re.compile(r"^(?:公报|文章|信息|文件)?标题[:|]*")
_PUBLISHER_FIELD = re.compile(rf"发布机构[\]】:|\n]+(?P<name>[{_HAN}()]{{2,30}})")
# The bodies that compile a region's own report: its government's office, its 政务服务/数据 bureau.
_REGION_COMPILERS = re.compile(r"^(?:人民)?政府办公[室厅]|^政务服务|^政务公开|^行政审批|数据管理局|大数据")
_ALIAS_AFTER = re.compile(r"\((?:以下简称|以下称|下称|简称)[^()]*\)$")
_DATE_LINE = re.compile(r"20\d{2}年\d{1,2}月\d{1,2}日")
# A cover's date under the publisher's name: 2013年3月, 2017年3月 (no day)
_COVER_DATE = re.compile(r"20\d{2}年\d{1,2}月(?:\d{1,2}日)?")
# Page chrome: lines that belong to the web page around the report, not to the report.
_CHROME = re.compile(
    r"欢迎|来源:|【字体|字体:|浏览次数|阅读次数|打印|关闭窗口|发布日期|发布时间|当前位置|首页>|>|›|"
    r"主办单位|承办单位|版权所有|网站标识码|ICP备|分享到"
)
# Chrome (a breadcrumb, a date line, a site's footer) is a short line; a markup tag's fragment left in the
# text by a mirror (?/p>, </span>) is no breadcrumb's >.
_CHROME_LINE_MAX = 300
_TAG_DEBRIS = re.compile(r"<?/?[a-zA-Z]{1,6}>")
# 《关于印发<中华人民共和国政府信息公开工作年度报告格式>的通知》: a title inside a title, not a breadcrumb's >.
_INNER_TITLE = re.compile(r"<[^<>]{1,60}>")
# After a name in body text: the name is a website's or platform's, not the publisher.
# (邹城市人民政府门户网: a 门户网 without 站 is a website too)
# (定州市人民政府门户(http://…): 门户 alone, a link in brackets after it, is the portal too)
# (在淮北市人民政府信息公开网上发布: a government's open-information site is a website too)
_SITE_AFTER = re.compile(r"(?:门户)?网站?|门户|官网|平台|公众号|微信|微博|客户端|(?:政府)?信息公开(?:网|平台|专栏)")
_TOWNSHIP = re.compile(rf"[{_HAN}]{{1,6}}(?:镇|乡|街道)")
# Not a township's own name: a verb of the sentence glued in front (现公开钢花村街道, 布长安区砲里街道 from
# 现公布长安区砲里街道) or a region's suffix inside (长安区 is a division the chain must read itself).
# (全乡, 各镇, 本街道: the whole township, not one named 全; 开发区长兴岛街道: the 区 ends the zone's name;
# 结合红星乡实际: the verb 结合, not a township named 结合红星)
_NOT_TOWNSHIP_STEM = re.compile(r"^[现特予将]|^结合|^[全各本该此每我]$|^[省市县区旗州]|公开|公布|发布|.[省市县区旗州]")
_TOWNSHIP_GOV = ("人民政府", "政府", "办事处", "街道办事处", "")
_OPENING_CHARS = 4000


@dataclass(frozen=True)
class AgencyName:
    name: str | None
    source: str | None  # title | preface | index | opening | signature | body, "+…" where another part completed it
    confidence: str  # high | medium | none
    reason: str  # how the name was found, or why it is unknown


@dataclass(frozen=True)
class _Parsed:
    name: str
    regions: tuple[divisions.Division | None, ...]  # None: a township read generically
    partial: str | None = None  # what is missing: "region" | "parent organ" | "county"


@cache
def _townships() -> list[divisions.Division]:
    """The list's townships (level 4), each made once (the region index and the code table share
    them)."""
    make = divisions.Division._make  # tuple.__new__ directly: the class call goes through a Python __new__
    return [
        make((code, name, 4, parent or None))
        for level, code, parent, name in divisions.dataset()["divisions"]
        if level == 4
    ]


@cache
def _region_index() -> tuple[dict[str, list[divisions.Division]], int]:
    """Alias → divisions, levels 1–3 with their short forms, townships (level 4) by full name
    only: their short forms (太平 for 太平镇) are ordinary words too often. Made once per process, in
    the parse server before it forks (every worker shares it; the build's own process never reads
    it): one pass with plain dict lookups, the townships made by `_townships` (0.030–0.037 → 0.018–0.023
    CPU s, round 15)."""
    index = {alias: list(ds) for alias, ds in divisions.alias_index().items()}
    # 全州 is the whole prefecture (截至2022年11月,全州累计建造通信基站…), no short form of 全州县, which names
    # itself whole
    index.pop("全州", None)
    found = index.get
    for d in _townships():
        name = d.name
        if (same := found(name)) is None:
            index[name] = [d]
        else:
            same.append(d)
        if len(name) > 3 and name.endswith("街道"):
            # Tianjin's streets call themselves 佳荣里街 (本街, 全街): the list's 佳荣里街道
            if (same := found(short := name[:-1])) is None:
                index[short] = [d]
            else:
                same.append(d)
    return index, max(map(len, index))


@cache
def _by_code() -> dict[str, divisions.Division]:
    # The same divisions the region index holds (levels 1-3 each under its full name, every township),
    # without walking its 45,000 entries (0.008-0.009 -> 0.004-0.006 CPU s)
    return divisions.divisions() | {d.code: d for d in _townships()}


def _inside(child: divisions.Division, parent: divisions.Division) -> bool:
    node: divisions.Division | None = child
    table = _by_code()
    while node is not None and node.parent:
        node = table.get(node.parent)
        if node is not None and node.code == parent.code:
            return True
    return False


def _region_chain(s: str) -> list[tuple[int, divisions.Division | None, int]]:
    """Every way a chain of regions can start s: (end, deepest division, divisions in the chain)
    for each prefix of s that reads as divisions, each inside the one before."""
    index, longest = _region_index()
    out: list[tuple[int, divisions.Division | None, int]] = []

    def walk(pos: int, last: divisions.Division | None, depth: int) -> None:
        for end in range(min(len(s), pos + longest), pos + 1, -1):
            for d in index.get(s[pos:end], ()):
                if last is None or _inside(d, last):
                    out.append((end, d, depth + 1))
                    if d.level < 4:
                        walk(end, d, depth + 1)
        # A township missing from the list: only as the last link, and only a plausible stem.
        if pos == 0 or (last is not None and last.level < 4):
            m = _TOWNSHIP.match(s, pos)
            if (
                m
                and _stem_ok(m.group()[:-1].removesuffix("街"))
                and not _NOT_TOWNSHIP_STEM.search(m.group()[:-1].removesuffix("街"))
                and "城乡" not in m.group()
                and not any(e == m.end() for e, _, _ in out)
            ):
                out.append((m.end(), None, depth + 1))

    walk(0, None, 0)
    return out


def _balanced(span: str) -> bool:
    """Parentheses in a name come in pairs (中心(站)); 春城街道办事处(办 is a name with the start of
    the next words (办公地址) glued on."""
    depth = 0
    for c in span:
        depth += (c == "(") - (c == ")")
        if depth < 0:
            return False
    return depth == 0


_SUFFIX_AT = re.compile("(?=(" + "|".join(_ORGAN_SUFFIXES) + "))")


def _stem_ok(stem: str) -> bool:
    return len(stem) <= 16 and re.fullmatch(rf"[{_HAN}()]*", stem) is not None and not _NOT_IN_STEM.search(stem)


def _office_of_committee(stem: str, region: divisions.Division | None) -> bool:
    """stem = a management committee and the stem of one of its offices (东湖生态旅游风景区管理委员会
    + 卫生健康 of …办公室): a zone's committee publishes through its offices and bureaus."""
    for word in ("管理委员会", "管委会"):
        j = stem.rfind(word)
        if j > 0 and stem[j + len(word) :] and _stem_ok(stem[j + len(word) :]):
            return _organ(stem[: j + len(word)], region) is not None
    return False


def _organ(rest: str, region: divisions.Division | None) -> str | None:
    """rest = organ [sub-region sub-suffix], fully; the organ as written, or None."""
    if _SCHOOL_SHORT.fullmatch(rest):
        return rest
    for m in _SUFFIX_AT.finditer(rest):
        i, suffix = m.start(), m.group(1)
        stem = rest[:i]
        if (
            (not stem and len(suffix) == 1)
            or (len(stem) < 2 and suffix in _STEM_NEEDED)
            or stem.startswith(("和", "与", "及"))
            # 民政厅紧紧围绕省委: 省委 (市委, 县委) is a region's party committee, never an organ's 委 (as alone it is not)
            or (suffix == "委" and stem.endswith(tuple("省市区县州旗盟镇乡")))
            # 领导小组有关部署: 部署 (a plan, to deploy) is no organ's 署 (审计署, 海关总署)
            or (suffix == "署" and stem.endswith("部"))
        ):
            # 公安厅 in 省公安厅 is not 公安(县) + 厅, nor 资源局 资源(县) + 局, nor 资源和规划局 (of
            # 自然资源和规划局) 资源(县) + 和规划局: an organ has a stem, and it does not open on 和
            continue
        if not _stem_ok(stem) and not _office_of_committee(stem, region):
            if len(stem) > 16 or _NOT_IN_STEM.search(stem[:-1]) or not re.fullmatch(rf"[{_HAN}()]*", stem):
                return None  # every longer stem fails too
            continue
        tail = rest[i + len(suffix) :]
        if not tail:
            return rest
        sub = next((x for x in _SUB_SUFFIXES if tail.endswith(x)), None)
        if sub and len(tail) > len(sub):
            place = tail[: -len(sub)]
            if _ORDINAL.fullmatch(place) or _ZONE_PLACE.fullmatch(place):
                return rest
            chain = _region_chain(place)
            if any(e == len(place) and d is not None and (region is None or _inside(d, region)) for e, d, _ in chain):
                return rest
    return None


# Pure over the fixed division list, and asked again for the same spans (a title line is read
# alone and joined with each neighbour): each span is parsed once.
@lru_cache(maxsize=1 << 14)
def parse_name(span: str) -> _Parsed | None:
    """span, whole, as an agency name; None where it is not one. A span without a region (教育局)
    or a sub-unit without its bureau (郧阳分局) parses as partial."""
    span = normalize(span)
    if span.endswith("海关关区"):
        span = span[:-2]  # 重庆海关关区: the customs house's district, its report the house's own
    if span.endswith("气象部门"):
        span = span[:-2] + "局"  # 咸宁市气象部门: the city's weather service, its report the bureau's
    if span.endswith("邮政管理系统"):
        span = span[:-2] + "局"  # 山东省邮政管理系统: the province's postal administration, its report the bureau's
    # 海关总署(本级机关): the ministry's report for its own organ, not its system's
    span = span.removesuffix("(本级机关)").removesuffix("(机关本级)").removesuffix("(本级)")
    if not span or not _balanced(span) or span.startswith("共和国"):
        # 共和国海关 of 《中华人民共和国海关政府信息公开办法》 is the nation's name, not 共和(县)'s 国海关
        return None
    if span in _MINISTRIES:
        return _Parsed(span, ())
    for end, deepest, depth in sorted(_region_chain(span), key=lambda c: (-c[0], -c[2])):
        rest = span[end:]
        place = span[:end]
        if (
            deepest is not None
            and rest.startswith(place)
            and any(e == end and d is not None and d.code == deepest.code for e, d, _ in _region_chain(rest))
        ):
            # 渠县渠县行政审批局: the region printed twice (no division is inside itself) is a typo for
            # the name printed once
            once = parse_name(rest)
            if once is not None:
                return once
        if deepest is None or deepest.level == 4:
            # A township is a government by itself: 北坡镇 → 北坡镇人民政府, never 镇 + an organ.
            # 东城街道办 is the street office's short form, never 东城区 + an organ 街道办
            if rest in _TOWNSHIP_GOV or (rest == "办" and deepest is not None and deepest.name.endswith("街道")):
                if deepest is not None and deepest.name.endswith("街道") and place.endswith("街"):
                    place += "道"  # 佳荣里街 → 佳荣里街道, as the list names it
                gov = "办事处" if place.endswith("街道") else "人民政府"
                return _Parsed(place + gov, (deepest,), None if depth > 1 else "county")
            continue
        if rest in _REGION_COMMITTEES:
            continue
        if rest == "人民政府" or _organ(rest, deepest):
            return _Parsed(span, (deepest,))
        if rest in _SUB_SUFFIXES:
            return _Parsed(span, (deepest,), "parent organ")
    if _organ(span, None) and not span.startswith(_ORGAN_SUFFIXES):
        # 国家新闻出版署, 国家卫生健康委, 中国科学院物理研究所: a national body has no region to name
        national = span.startswith(("国家", "中国")) and len(span) > 3 and "党" not in span
        return _Parsed(span, (), None if national else "region")
    return None


def _with_system(before: str, parsed: _Parsed) -> _Parsed:
    """parsed with its system's name where the text before it carries one (国家税务总局 + 佛山市税务局)."""
    for prefix, suffix in _SYSTEM_PREFIXES:
        if before.endswith(prefix) and parsed.name.endswith(suffix) and not parsed.name.startswith(prefix):
            return _Parsed(prefix + parsed.name, parsed.regions, parsed.partial)
    return parsed


def _system_whole(name: str, text: str) -> str:
    """name with its system's name where the text prints them together (珠海市税务局, the opening
    sentence's, after 国家税务总局珠海市税务局向社会公布… in the preface), else name."""
    for prefix, suffix in _SYSTEM_PREFIXES:
        if name.endswith(suffix) and not name.startswith(prefix) and prefix + name in text:
            return prefix + name
    return name


def _aliases(text: str) -> dict[str, str]:
    """Short form → the whole name it stands for, from X(以下简称Y) in the text."""
    out: dict[str, str] = {}
    for m in _ALIAS.finditer(text):
        parsed = _find_in(text[max(0, m.start() - 40) : m.start()].rsplit("\n", 1)[-1], whole=False)
        if parsed is not None and parsed.partial is None and parsed.name != m.group("short"):
            out[m.group("short")] = parsed.name
    return out


def _owner(parsed: _Parsed) -> _Parsed:
    """The body an internal office belongs to (昌江区工信局办公室 → 昌江区工信局), else parsed."""
    m = _INTERNAL_OFFICE.fullmatch(parsed.name)
    if m:
        owner = parse_name(m.group("owner"))
        # a township's office without its county (石门乡党政办公室) is still its township's
        if owner is not None and owner.partial in (None, "county"):
            return owner
    return parsed


def _name_at_start(span: str) -> _Parsed | None:
    """The longest name that opens span (国家新闻出版署坚持… → 国家新闻出版署), without its county or
    not; never one without its region, which a sentence's words can make of a name and the verb
    after it (小营街道办事处严格依照区委 → 小营街道办事处), unless it is a body named after a place
    of its own (甘眉工业园区管委会严格按照…), whose words the pattern bounds."""
    span = normalize(span)[:40]
    for end in range(len(span), 1, -1):
        if span[end - 1] not in "局厅委室府处心站所院馆署队办会政镇乡道区关司学街统":  # 统: 邮政管理系统
            continue
        parsed = parse_name(span[:end])
        if parsed is not None and (parsed.partial != "region" or _own_place(parsed.name)):
            return parsed
    return None


@lru_cache(maxsize=1 << 14)
def _find_in(span: str, *, whole: bool) -> _Parsed | None:
    """The name at the end of span (a sentence before a year or 编制): the leftmost start from
    which the rest parses, so the longest name. `whole`: span is a title's own text and may be a
    partial name; in a sentence only a name with its region counts, so only starts where a
    division's name can begin are tried."""
    span = normalize(span)
    starts = _alias_starts()
    for i in range(len(span)):
        if (
            not (i == 0 and whole)
            and (span[i : i + 2] not in starts or _glued_start(span, i))
            and span[i : i + 2] not in _MINISTRY_STARTS
            and not _TOWNSHIP.match(span, i)
        ):
            continue
        parsed = parse_name(span[i:])
        if parsed is None or (parsed.partial == "region" and not (whole and i == 0)):
            continue
        return _with_system(span[:i], parsed)
    return None


def _title_candidates(text: str) -> list[tuple[str, str]]:
    """(text before the year, text between year and 信息公开) for each title-shaped passage; the
    政府 before 信息公开 may be the name's own (佳县人民政府信息公开…) or not (螅镇政府信息公开…),
    so both readings are offered, the name's first. Found from the fixed tail backwards: a lazy
    pattern from the front is quadratic on long lines."""
    out = []
    floor = 0
    for tail in _TITLE_TAIL_RE.finditer(text):
        window = text[max(floor, tail.start() - 80) : tail.start()]
        years = list(_YEAR_RE.finditer(window))
        floor = tail.end()
        if tail.group("inner"):
            # X政府信息公开工作2022年度报告: the year is the tail's, the whole of the line before it the name's
            pre = window.rsplit("\n", 1)[-1]
            if pre:
                out.extend([(pre, "政府"), (pre, "")] if tail.group("gov") else [(pre, "")])
            continue
        if not years:
            continue
        year = years[-1]
        pre, mid = window[: year.start()], window[year.end() :]
        if "\n" in mid:
            continue
        # 公报标题黄石市卫健委2019年…: a bulletin page's field label glued to the title it labels
        pre = _TITLE_LABEL.sub("", pre.rsplit("\n", 1)[-1])
        if pre.endswith("关于"):
            if "《" in pre[pre.rfind("》") + 1 :]:
                continue  # 《X关于做好2021年度政府信息公开工作年度报告编制工作的通知》: X is not the publisher
            pre = pre.removesuffix("关于")  # 宁强县自然资源局关于2021年度政府信息公开情况的报告
        if tail.group("gov"):
            out.append((pre, mid + "政府"))
        out.append((pre, mid))
    return out


def _names_in_title_lines(lines: list[str]) -> list[_Parsed]:
    found: list[_Parsed] = []
    # A title wrapped over two lines is read joined; a line that the next one starts with is not
    # its first half but a column's name over it (正阳街道 / 正阳街道办事处2023年…): one name twice.
    chunks = [*lines, *(a + b for a, b in itertools.pairwise(lines) if not b.startswith(a))]
    for chunk in chunks:
        for pre, mid in _title_candidates(chunk):
            for span, whole in ((mid, True), (pre, True)):
                parsed = _find_in(span, whole=whole) if span else None
                if parsed:
                    found.append(parsed)
            if pre.endswith("区") and not found:
                # 阿拉善高新技术产业开发区 乌兰布和生态沙产业示范区2024年…: two zones under one committee, side by side; the
                # first, named whole, is the publisher (the second, a 示范区, is no organ of the list's)
                first = _name_at_start(pre)
                if first is not None and first.partial is None and first.name.endswith("区"):
                    found.append(first)
            region = mid.removesuffix("政府")
            if region != mid and not region.endswith("人民"):
                # 2022年上海市政府信息公开工作年度报告: a region's 政府 in a title is its 人民政府
                government = _region_government(region)
                if government:
                    found.append(government)
            if mid in ("", "政府") and pre:
                # 辽阳市2023年政府信息公开工作年度报告: the region's own report is its 人民政府's
                government = _region_government(pre.strip())
                if government:
                    found.append(government)
    if not found:
        for line in lines:
            m = _TITLE_TYPO.fullmatch(line)
            parsed = _find_in(m.group("pre"), whole=True) if m else None
            if parsed:
                found.append(parsed)
    # The name on its own line above a "2023年政府信息公开工作年度报告" line.
    for above, line in itertools.pairwise(lines):
        if _YEAR_TITLE_LINE.fullmatch(line):
            parsed = parse_name(above)
            if parsed:
                found.append(parsed)
    return found


# A title's region recurs in every report of its bodies (each year's, each bureau's): read once.
@lru_cache(maxsize=1 << 14)
def _region_government(region: str) -> _Parsed | None:
    """The 人民政府 of a span that is a county or wider division's whole name (辽阳市, 上海市), else None.
    A league or prefecture (兴安盟, 阿里地区) has no people's government: its 行政公署 governs it."""
    chain = [d for end, d, _ in _region_chain(region) if end == len(region) and d and d.level < 4]
    if not chain:
        return None
    governs = "行政公署" if chain[0].level == 2 and chain[0].name.endswith(("盟", "地区")) else "人民政府"
    return _Parsed(region + governs, (chain[0],))


def _region_subject(rest: str) -> _Parsed | None:
    """The government of the county or wider division that opens rest whole, followed by a verb
    rather than an organ (三亚市坚持…, never 三亚市教育局 or 全市), else None."""
    for end in range(min(len(rest), 12), 1, -1):
        if rest[end - 1] not in "省市县区旗州盟" and not rest[:end].endswith("地区"):
            continue
        government = _region_government(rest[:end])
        if government is not None and not rest[end:].startswith(("人民", "政府", "委", "各", "级", "直")):
            return government
        return None
    return None


@cache
def _alias_starts() -> frozenset[str]:
    return frozenset(a[:2] for a in _region_index()[0])


# A division's short form that is the tail of an organ's word: 资源 (资源县) in 人力资源社会保障局 and
# 自然资源局局 is no region, so a name never starts there.
_GLUED_WORDS = ("人力资源", "自然资源")


def _glued_start(s: str, i: int) -> bool:
    return s[max(0, i - 2) : i + 2] in _GLUED_WORDS


def _government_rivals(plain: str, government: str) -> list[str]:
    """The publishers a body names other than a region's government, leaving out the region's own
    office and the bureau that compiles its report, named as its contact (请与喀什市政府办公室联系,
    鄂温克族自治旗政务服务与数据管理局政务公开办公室)."""
    region = government.removesuffix("人民政府").removesuffix("行政公署")
    return [
        n
        for n in _names_in_body(plain)
        if n != government and not (n.startswith(region) and _REGION_COMPILERS.search(n[len(region) :]))
    ]


def _names_in_body(text: str) -> Counter[str]:
    """Names with their region in the text, not those of a website or platform. Tried only where
    a division's name can start, so a report pays little for it."""
    names: Counter[str] = Counter()
    starts = _alias_starts()
    for m in re.finditer(rf"[{_HAN}()]+", text):
        run = m.group()
        if text[max(0, m.start() - 3) : m.start()].endswith(("地址:", "地址")):
            continue  # 地址:来凤县政务服务中心501室 is where, not who
        i, prev_end = 0, -1
        while i < len(run) - 2:
            found: tuple[int, _Parsed | None] | None = None
            # 以县政府和县政府办公室名义: 和 after a body's word (政府, 局, 委) joins two bodies, no 和县 (nor 和平区) opens there
            joined = run[i] == "和" and i > 0 and run[i - 1] in "府局委厅室会院办处署"
            if run[i : i + 2] in starts and not _glued_start(run, i) and not joined:
                for end in range(min(len(run), i + 40), i + 2, -1):
                    # 会: 管委会, 管理委员会; 关: 海关; 司: 公司; 学: 大学
                    if run[end - 1] not in "局厅委室府处心站所院馆署队办会关司学":
                        continue
                    parsed = parse_name(run[i:end])
                    if parsed and run.startswith(_PARTY_ORGANS, end):
                        # 在区委区政府和杭州市公安局党委的坚强领导下: the body that leads the publisher
                        found = (end, None)
                        break
                    # 《平武县人民政府办公室关于做好…年度报告编制工作的通知》: the issuer of a
                    # document the report cites, not the publisher.
                    after = run[end:] or text[m.end() : m.end() + 1]
                    if parsed and parsed.partial is None and after.startswith(("关于", "《")):
                        found = (end, None)
                        break
                    # 向临沂市人民政府办公室报送: the receiver, not the publisher; 《西华县政务公开工作考核办法》: a
                    # rule's title (办 + 法), no office; 和政协委员提案办理结果: the verb 办理 (和政县's 提案办), no office
                    if parsed and (
                        (i > 0 and run[i - 1] == "向") or (run[end - 1] == "办" and after.startswith(("法", "理")))
                    ):
                        found = (end, None)
                        break
                    if parsed and parsed.partial is None:
                        # 来宾市卫生健康委员会网站 is a website: the name is not counted, and neither
                        # is the same words read short (来宾市卫生健康委 + 员会网站)
                        found = (end, None if _SITE_AFTER.match(run, end) else parsed)
                        break
            if found:
                # 武昌经开区管委会(滨江商务区管委会): the name in brackets right after a name is the same
                # body's second name, not another body
                second = i > 0 and run[i - 1] == "(" and prev_end == i - 1
                if found[1] is not None and not second:
                    names[_owner(_with_system(run[:i], found[1])).name] += 1
                prev_end = found[0]
                i = found[0]
            else:
                i += 1
    return _one_body_each(names)


def _one_body_each(names: Counter[str]) -> Counter[str]:
    """A name and the same name without its leading regions (西宁市城中区生态环境局, 城中区生态环境局) are
    one body named twice, not two rivals: the shorter's count goes to the longest, where the names
    ending with it nest (青海省西宁市城中区…, 西宁市城中区…), and stays where they do not."""
    out = Counter(names)
    for short in names:
        # 海南省卫生健康委 in 海南省卫生健康委高度重视…, beside 海南省卫生健康委员会 in its contact: a commission's short
        # form (委 for 委员会) is the same body
        if short.endswith("委") and short + "员会" in names:
            out[short + "员会"] += out.pop(short, 0)
    for short in sorted(names, key=len):
        longer = sorted(
            (n for n in names if n != short and n.endswith(short) and _regions_only(n[: -len(short)])), key=len
        )
        if longer and all(b.endswith(a) for a, b in itertools.pairwise(longer)):
            out[longer[-1]] += out.pop(short, 0)
    return +out


# A zone's long words and the short forms its own text uses for them
_ZONE_SHORT = (("高新技术产业开发区", "高新区"), ("经济技术开发区", "经开区"), ("经济开发区", "经开区"))


def _zone_short(name: str) -> str:
    for long, short in _ZONE_SHORT:
        name = name.replace(long, short)
    return name


def _same_zone(name: str, other: str) -> bool:
    """other names the zone `name` names, in a short form (番禺经开区管委会), after its province's name (安徽舒城经济开发区)
    or as the zone's own office or committee (…综合办公室, …管委会)."""
    short, other = _zone_short(name).removesuffix("管理委员会").removesuffix("管委会"), _zone_short(other)
    at = other.find(short)
    if "区" not in short or at < 0:
        return False
    rest = other[at + len(short) :]
    return (at == 0 or _regions_only(other[:at])) and (not rest or _OWN_UNIT.fullmatch(rest) is not None)


def _regions_only(prefix: str) -> bool:
    """prefix reads whole as a chain of divisions (西宁市, 青海省西宁市)."""
    return any(e == len(prefix) and d is not None for e, d, _ in _region_chain(prefix))


def _names_ending_with(partial: str, text: str) -> Counter[str]:
    """Full names in the text that end with a partial one (十堰市生态环境局郧阳分局 for 郧阳分局)."""
    names: Counter[str] = Counter()
    for m in re.finditer(re.escape(partial), text):
        for start in range(max(0, m.start() - 30), m.start()):
            parsed = parse_name(text[start : m.end()])
            if parsed and parsed.partial is None and parsed.name.endswith(partial):
                names[parsed.name] += 1
                break
    return names


def _division_mentions(text: str) -> list[divisions.Division]:
    """Divisions of levels 1–3 named in full (东丽区, not 东丽: short forms are common words)."""
    index, _ = _region_index()
    out: list[divisions.Division] = []
    for m in re.finditer(r"[省市区县旗州盟]", text):
        for k in range(2, 13):
            word = text[max(0, m.end() - k) : m.end()]
            out.extend(d for d in index.get(word, ()) if d.level <= 3 and d.name == word)
    return out


def _complete_region(organ: str, text: str) -> tuple[str | None, str]:
    """An organ named without its region: the region the body names, where it names exactly one
    most specific division and calls itself by that level (区委, 全区, 我区 for a 区)."""
    mentions = _division_mentions(text)
    if not mentions:
        return None, f"the title names {organ!r} without its region and the text names no division"
    deepest = [d for d in mentions if not any(_inside(o, d) for o in mentions if o.code != d.code)]
    distinct = {d.code: d for d in deepest}
    if len(distinct) != 1:
        names = "、".join(sorted({d.name for d in distinct.values()}))
        return None, f"the title names {organ!r} without its region; the text names several: {names}"
    d = next(iter(distinct.values()))
    level_word = d.name[-1]
    if not re.search(rf"{level_word}(?:委|政府|人大|政协)|[全我本]{level_word}", text):
        return None, (
            f"the title names {organ!r} without its region; the text names {d.name} but does not "
            f"speak of itself as a {level_word}"
        )
    return (
        d.name + organ,
        f"region {d.name} from the body (the only division it names; it speaks of {level_word}委/{level_word}政府)",
    )


def _body_with_organ(organ: str, text: str) -> str | None:
    """The one body the text names whose organ is `organ`, also in its short form (卫生健康委员会 as
    绵阳市卫生健康委, in 请与绵阳市卫生健康委办公室联系): its region with `organ`; None if none or several."""
    forms = {organ, organ.removesuffix("委员会") + "委"} if organ.endswith("委员会") else {organ}
    regions = {
        name[: -len(form)]
        for name in _names_in_body(text)
        for form in forms
        if name.endswith(form) and len(name) > len(form) and parse_name(name[: -len(form)] + organ) is not None
    }
    return next(iter(regions)) + organ if len(regions) == 1 else None


def _complete(parsed: _Parsed, text: str) -> tuple[str | None, str, str]:
    """(name, how, confidence) for a partial name; name None where the text does not support one."""
    if parsed.partial == "county":
        place = parsed.name.removesuffix("人民政府").removesuffix("办事处")
        for m in re.finditer(re.escape(place), text):
            # the county before the name on its line, never the line before it (正阳街道 / 正阳街道…)
            line_start = text.rfind("\n", 0, m.start()) + 1
            for start in range(max(0, m.start() - 12, line_start), m.start()):
                full = parse_name(text[start : m.end()])
                if full is not None and full.partial is None:
                    return full.name, f"county from the text ({text[start : m.end()]})", "high"
        same = _region_index()[0].get(place, [])
        township = parsed.regions[0] if parsed.regions else None
        if township is not None and len(same) == 1 and township.parent:
            county = _by_code()[township.parent]
            return (
                county.name + parsed.name,
                f"county from the division list (the only {place} is in {county.name})",
                "medium",
            )
        if township is not None and len(same) > 1:
            # 北街街道 of 甘州区 on a page that says 甘州乡镇街道动态: the one of that name in a county the text names
            # (outside the township's own name: 西湖 of 西湖街道 is no mention of 西湖区)
            stem = re.sub("(?:街道|镇|乡)$", "", place)
            elsewhere = re.sub(re.escape(stem) + "(?:街道|街|镇|乡)", "\n", text)
            counties = {
                holder.code: holder
                for d in same
                if d.parent
                and (holder := _by_code().get(d.parent)) is not None
                # (城区, 郊区, 矿区: a name of two characters is a common word too)
                and len(holder.name) > 2
                and any(alias in elsewhere for alias in divisions.aliases(holder))
            }
            if len(counties) == 1:
                placed = next(iter(counties.values()))
                return (
                    placed.name + parsed.name,
                    f"county from the division list (of {len(same)} {place}, the one in {placed.name}, which the text names)",
                    "medium",
                )
        # a township's name without its county is not its whole name: many counties have a 北街街道
        return (
            parsed.name,
            f"title names {parsed.name}; its county is not named ({len(same)} townships of that name)",
            "medium",
        )
    zone = _ZONE_PLACE.match(parsed.name) if parsed.partial == "region" else None
    if zone and _TOWNSHIP.match(parsed.name, zone.end()) and parse_name(parsed.name[zone.end() :]) is not None:
        # 西咸新区底张街道办事处: a new area or zone (no division of the list) administers the street
        # or township and stands for its region
        return parsed.name, f"{zone.group()} stands for the region of {parsed.name[zone.end() :]}", "high"
    fuller = _names_ending_with(parsed.name, text)
    if fuller:
        name = max(fuller, key=lambda n: (fuller[n], len(n)))
        return name, f"completed from the text ({name})", "high"
    if parsed.partial == "region":
        region_name, why = _complete_region(parsed.name, text)
        if region_name is None:
            named = _body_with_organ(parsed.name, text)
            if named is not None:
                return named, f"region from the text, which names {named} (the title names {parsed.name})", "medium"
            if _own_place(parsed.name):
                return parsed.name, "a body named after a place of its own; no region is printed to place it", "medium"
        return region_name, why, "medium" if region_name else "none"
    return None, f"the title names {parsed.name!r} without the bureau it belongs to", "none"


def _level_organ(text: str) -> AgencyName | None:
    """县统计局 (its level and its organ, no region) where the page names one division of that level, if
    only in a document it cites (《平武县人民政府办公室关于…的通知》) or in its portal's name (乌兰浩特市人民政府网, or
    short: “中国如东”政府门户网站): that division's organ, probable. 市政府办公室 is the city government's office."""
    organs = {
        (m.group("level"), m.group("organ"))
        for m in _LEVEL_ORGAN.finditer(text)
        if m.group("organ") == "政府办公室"
        or (
            (p := parse_name(m.group("organ"))) is not None
            and p.partial == "region"
            # 市场监督管理局 is an organ's own name, not 市 + 场监督管理局
            and m.group()[:2] not in ("市场", "市政", "区域", "县域")
        )
    }
    if len(organs) != 1:
        return None
    level, organ = next(iter(organs))
    # by name: 长安区 twice in the list is one name on the page; 城区 inside 藁城区 is no mention of its own
    names = {d.name for d in _division_mentions(text) if d.name.endswith(level)}
    names = {n for n in names if not any(o != n and o.endswith(n) for o in names)}
    where = ""
    if not names:
        # a portal named short: 如东 of “中国如东” is 如东县 alone among the divisions of that level
        names = {
            d.name
            for m in _PORTAL_SHORT.finditer(text)
            for d in _region_index()[0].get(m.group("place"), ())
            if d.level <= 3 and d.name.endswith(level) and d.name != m.group("place")
        }
        where = " (its portal's short name)"
    if len(names) != 1:
        return None
    region = next(iter(names))
    name = region + ("人民政府办公室" if organ == "政府办公室" else organ)
    if parse_name(name) is None:
        return None
    why = f"the text names {level}{organ} and one {level}, {region}{where}, no other publisher"
    return AgencyName(name, "body", "medium", why)


def _own_place(name: str) -> bool:
    """A zone's committee or a management area named after a place that is no division
    (甘眉工业园区管委会, 熊口管理区), or a university (长江大学): its name is whole without a region,
    though none is printed."""
    own = _PLACE_ZONE_COMMITTEE.fullmatch(name) or _PLACE_AREA.fullmatch(name) or _UNIVERSITY.fullmatch(name)
    return bool(own) and not _NOT_IN_STEM.search(name)


def _title_cells(line: str) -> list[str]:
    """A line's cells: a page's index table prints the title in a cell (| 名称 | X2025年…报告 |)."""
    return [c.strip() for c in line.split("|") if c.strip()] if "|" in line else [line]


_SENTENCE_MARK = re.compile(r"[,;。,;]")


def _is_title_line(chunk: str) -> bool:
    """A heading, not a sentence: short and without sentence punctuation."""
    return len(chunk) <= 60 and not _SENTENCE_MARK.search(chunk)


def find_agency_name(text: str) -> AgencyName:
    text = simplified_if_traditional(text)
    # A report names itself in its opening and its signature: only those are read, so a long
    # report costs no more than a short one.
    raw = text.splitlines()
    # the lines up to the one that takes the opening past _OPENING_CHARS (C-level: a text of one cell
    # a line has hundreds); a text no longer than that is all opening
    opening = (
        raw
        if len(text) <= _OPENING_CHARS
        else raw[: bisect_right([*itertools.accumulate(map(len, raw))], _OPENING_CHARS) + 1]
    )
    ending = raw[max(len(opening), len(raw) - 8) :]
    lines = list(filter(None, map(normalize, opening + ending)))
    plain = "\n".join(lines)
    if "名称" in plain:
        # 名称:下陆区档案馆2022年…报告 发布日期:2023-01-18: the index's title field, kept without the date beside it
        lines = [(m.group("title") if (m := _NAME_FIELD.search(ln)) else ln) if "名称" in ln else ln for ln in lines]
        plain = "\n".join(lines)
    # Page chrome (breadcrumbs, 打印, 发布日期) is dropped line by line. Most texts have none: one
    # search of all the lines together says so (no marker spans a line end); an inner title <…>
    # is cut out of its line before that line is searched.
    if "<" in plain or _CHROME.search(plain):
        # (a line of hundreds of characters is a page served on one line, not chrome: a mirror's markup
        # debris, `?/p>`, would drop the whole report)
        lines = [
            ln
            for ln in lines
            if len(ln) > _CHROME_LINE_MAX
            or not _CHROME.search(_TAG_DEBRIS.sub("", _INNER_TITLE.sub("", ln) if "<" in ln else ln))
        ]
        plain = "\n".join(lines)

    aliases = _aliases(plain) if "简称" in plain or "下称" in plain else {}

    def result(parsed: _Parsed, source: str, how: str) -> AgencyName:
        if parsed.name in aliases:  # 2022年,镜湖区税务局… after 国家税务总局芜湖市镜湖区税务局(以下简称镜湖区税务局)
            return AgencyName(
                aliases[parsed.name], f"{source}+alias", "high", f"{how} (以下简称 of {aliases[parsed.name]})"
            )
        if parsed.partial is None:
            whole = _system_whole(parsed.name, plain)
            if whole != parsed.name:
                return AgencyName(whole, f"{source}+body", "high", f"{how}, whole in the text as {whole}")
            return AgencyName(parsed.name, source, "high", how)
        name, why, confidence = _complete(parsed, plain)
        if name is None:
            return AgencyName(None, None, "none", why)
        return AgencyName(name, source if name == parsed.name else f"{source}+body", confidence, why)

    # The title is among the first lines; a page's index fields (• 索引号, its number, • 发布机构, …
    # one per line) can push it further, up to the report's 一、 heading.
    first_part = next((i for i, ln in enumerate(lines[:16]) if ln.startswith("一、")), 8)
    head = list(lines[: max(8, first_part)])
    titled = _names_in_title_lines([c for ln in head for c in _title_cells(ln) if _is_title_line(c)])
    if titled:
        best = next((p for p in titled if p.partial is None), titled[0])
        return result(best, "title", f"title names {best.name}")
    # A cover: the publisher's whole name on a line of its own over the month it published (廣州市人民政府 /
    # 2013年3月), before the report's first part, as a signature at the top
    for above, line in itertools.pairwise(lines[:first_part]):
        if _COVER_DATE.fullmatch(line):
            parsed = parse_name(above)
            if parsed and parsed.partial is None:
                return result(parsed, "title", f"the cover names {parsed.name} over its date")
    # The preface: "现向社会公布2021年X政府信息公开…", "现将X2022年…", "由X编制".
    # The lines before 一、总体情况 (at least 4, at most 10): page chrome and a spammed title line
    # can push the preface sentence past the first four.
    part_one = next((i for i, ln in enumerate(lines[:10]) if ln.startswith("一、")), 4)
    preface = "".join(lines[: max(4, part_one)])
    for m in _COMPILED_BY.finditer(preface):
        parsed = _find_in(m.group("name"), whole=False)
        office = None if parsed else _INTERNAL_OFFICE.fullmatch(m.group("name"))
        if office:
            # 由两城镇人民政府党政办公室编制, 由东亭街道综合办公室编制: the body's own office compiled it
            parsed = _find_in(office.group("owner"), whole=False)
        if parsed:
            # 由兰陵县城南街道党政综合办公室编制: the street's office, named whole, stands for the street
            return result(_owner(parsed), "preface", f"preface: 由{m.group('name')}编制")
    for m in _COMPILED_BY_LONG.finditer(preface):
        parsed = _name_at_start(m.group("rest"))
        if parsed and parsed.partial is None:
            # 由宽城区档案馆办公室依据《条例》…编制: the archive's own office stands for the archive
            return result(_owner(parsed), "preface", f"preface: 由{parsed.name}…编制")
    for m in _PUBLISHES.finditer(preface):
        # 现公布清远市清新区人民政府办公室(以下简称区政府办公室)2022年…: the short form is no part of the name
        published = _ALIAS_AFTER.sub("", m.group("name"))
        parsed = _find_in(published, whole=True) if published else None
        if parsed is None and published:
            parsed = _region_government(published)  # 现公布辽阳市2023年政府信息公开工作年度报告
        # (现发布《苏银产业园管理委员会2025年…》: a park's committee named after a place of its own)
        if parsed and (parsed.partial != "region" or _own_place(parsed.name)):
            return result(parsed, "preface", f"preface: {m.group()}")
    for m in _COMPILED_IT.finditer(preface):
        parsed = _find_in(m.group("name"), whole=False)
        if parsed and parsed.partial != "region":
            return result(parsed, "preface", f"preface: {m.group('name')}编制了…")
    for m in _PUBLISHED_BY.finditer(preface):
        parsed = _find_in(m.group("name"), whole=False)
        if parsed and parsed.partial != "region":
            return result(parsed, "preface", f"preface: {m.group()}")
    for pre, mid in _title_candidates(preface):
        for span in (mid, pre):
            parsed = _find_in(span, whole=False) if span else None
            if parsed:
                return result(parsed, "preface", f"preface names {parsed.name}")
    # The opening sentence of the report: 2022年,国家新闻出版署坚持…
    for ln in lines[:12]:
        first = _OPENING_SUBJECT.match(ln)
        parsed = _name_at_start(first.group("rest")) if first else None
        if parsed and (parsed.partial != "region" or _own_place(parsed.name)):
            named = _owner(parsed)
            body = _names_in_body(plain)
            # 清镇人民政府 read inside 永清镇人民政府 (清镇 as 清镇市's short form) is the name's own words:
            # only its readings outside the name count against it
            elsewhere = {
                n: c - (plain.count(named.name) if n != named.name and named.name.endswith(n) else 0)
                for n, c in body.items()
            }
            rival = max(elsewhere, key=elsewhere.__getitem__, default=None)
            # a rival that the name starts with is the same words read short (西湖街道办 of
            # 西湖街道办事处: 西湖 as 西湖区's short form), not another body
            same = rival is not None and (rival.endswith(named.name) or named.name.startswith(rival))
            # nor is the body's own office or committee (呼和浩特经济技术开发区 and its 党政办公室, its 管理委员会)
            same = same or (
                rival is not None
                and rival.startswith(named.name)
                and _OWN_UNIT.fullmatch(rival[len(named.name) :]) is not None
            )
            # nor the zone's name in another form: short (番禺经开区管委会 of 番禺经济技术开发区管委会) or with its province
            # before its office (安徽舒城经济开发区综合办公室 of 舒城经济开发区)
            same = same or (rival is not None and _same_zone(named.name, rival))
            # the index's 发布机构 naming the same body settles it (a 所属机构, the host, is no rival)
            field = _PUBLISHER_FIELD.search("\n".join(lines[:16]))
            indexed = parse_name(field.group("name")) if field else None
            confirmed = indexed is not None and (indexed.name.endswith(named.name) or named.name.endswith(indexed.name))
            if rival and not same and not confirmed and elsewhere[rival] > body[named.name]:
                # 2023年,X县人民政府高度重视… in a report the body shows to be another's: say so
                return AgencyName(
                    None, None, "none", f"the opening sentence names {named.name}; the body names {rival} more often"
                )
            return result(named, "opening", f"the opening sentence names {named.name}")
    # 2023年,三亚市坚持…: a region alone as the subject is its own government's report, where the body
    # names no other publisher; probable, as a body's report may open on its region too
    for ln in lines[:12]:
        first = _OPENING_SUBJECT.match(ln)
        government = _region_subject(first.group("rest")) if first else None
        if government is not None:
            if not _government_rivals(plain, government.name):
                why = f"the opening sentence's subject is a region alone, governed by {government.name}"
                return AgencyName(government.name, "opening", "medium", why)
            break
    # 综合…丽水市各县(市、区)政府和市级各部门的…报告编制而成: the region's summary report, its government's,
    # where the body names no other publisher than its compilers (probable, as above)
    summary = _SUMMARY_OF.search(preface)
    government = _region_government(summary.group("region")) if summary else None
    if government is not None and not _government_rivals(plain, government.name):
        region = government.name.removesuffix("人民政府").removesuffix("行政公署")
        why = f"the preface calls the report a summary of {region}'s, governed by {government.name}"
        return AgencyName(government.name, "preface", "medium", why)
    # The index's publisher field (发布机构:|\n大芦镇人民政府, [发布机构]|X), where no title, preface or opening sentence names one
    # (after the opening: a page's 发布机构 may be its host, 乌恰县人民政府 over its 人民政府办公室's report)
    field = _PUBLISHER_FIELD.search("\n".join(lines[:16]))
    parsed = parse_name(field.group("name")) if field else None
    if parsed and parsed.partial != "region":
        return result(_owner(parsed), "index", f"the index's 发布机构 field names {parsed.name}")
    # The signature: a name line over a date line at the end.
    for above, line in list(itertools.pairwise(lines))[-6:][::-1]:
        if _DATE_LINE.fullmatch(line):
            parsed = parse_name(above)
            if parsed and parsed.partial is None:
                return result(parsed, "signature", f"signature names {parsed.name}")
    body = _names_in_body(plain)
    if not body:
        level_named = _level_organ(plain)
        if level_named is not None:
            return level_named
        # 本报告电子版可在深圳市交通运输局网站…查阅 in a report that says only 我局: the site is the body's own
        own_site = _own_site(plain)
        if own_site is not None:
            why = (
                f"the text names no publisher but speaks as one (我…) whose own website or account it names: {own_site}"
            )
            return AgencyName(own_site, "site", "medium", why)
        # 地址:溪下乡人民政府党政综合办公室 in a report that says only 我乡: the township, named without its county
        township = _own_township(plain)
        if township is not None:
            name: str | None = township.name
            why = "its county printed with it"
            if township.partial is not None:
                name, why, _ = _complete(township, plain)
            if name is not None:
                return AgencyName(
                    name, "contact", "medium", f"the text speaks as 我乡/我镇/我街道 and names one: {why}"
                )
    if body and not any(_fits_self_word(n, plain) for n in body):
        # 请联系吴起县政府政务服务中心 in a report that says 我县 and names 吴起县人民政府门户网站: the contact compiles the
        # county's report; the body the text speaks as is the site's
        own_site = _own_site(plain)
        if own_site is not None:
            why = (
                f"the text speaks as {own_site} (我…) and names its own website; the body names only {', '.join(body)}"
            )
            return AgencyName(own_site, "site", "medium", why)
    if body:
        (name, count), *rest = body.most_common()
        if rest and rest[0][1] == count:
            return AgencyName(None, None, "none", f"no title; the body names {name} and {rest[0][0]} equally often")
        name = aliases.get(name, name)
        return AgencyName(name, "body", "medium", f"no title or signature; the body names {name} {count}×")
    return AgencyName(None, None, "none", "no title, preface, signature or body sentence names an agency")


# ---------------------------------------------------------------------------------------------
# A government site's meta tags (pipelines.formats.document.PageMeta) as evidence, weighed below the text's own
# naming: the text decides where it names the publisher for sure, and the year stays the text's.

# How a report speaks of itself (我局, 本委, 我镇) and the names each fits: a ContentSource that does not fit the
# text's own word (我局 under 县政府办公室, the portal's editor) names someone else.
_SELF_WORD = re.compile(r"[我本](局|委|办|厅|署|院|馆|中心|所|站|镇|乡|街道|区|县|市|旗)(?![长员])")
_SELF_FITS = {
    "委": ("委", "委员会"),
    "办": ("办", "办公室", "办公厅"),
    "镇": ("镇", "镇人民政府"),
    "乡": ("乡", "乡人民政府"),
    "街道": ("街道", "街道办事处"),
    **{level: (f"{level}人民政府",) for level in "区县市旗"},
}


# (运用淮北市人民医院微信公众号发布…: a body's own account, as its website)
_SITE_NAME = re.compile(rf"(?P<name>[{_HAN}]{{2,30}}?)(?:(?:门户)?网站?|官网|(?:微信)?公众号)")


def _own_site(text: str) -> str | None:
    """The one body whose website the text names, where it fits how the text speaks of itself (我局 and 深圳市交通运输局网站;
    never a government's portal under 我局)."""
    names = set()
    for m in _SITE_NAME.finditer(text):
        site = m.group("name")
        # 乌拉特前旗政府网站: a county's government's site, named short (政府 for 人民政府)
        if site.endswith("政府") and not site.endswith("人民政府"):
            site = site.removesuffix("政府") + "人民政府"
        parsed = _find_in(site, whole=False)
        if parsed is not None and parsed.partial is None:
            names.add(parsed.name)
    if len(names) == 1 and _fits_self_word(name := names.pop(), text):
        return name
    return None


_TOWNSHIP_BODY = re.compile("(?:镇|乡)人民政府|街道办事处")


def _own_township(text: str) -> _Parsed | None:
    """The one township or street the text names (its government or office, with or without its county), where the text
    speaks as that kind of body (我乡 and 溪下乡人民政府党政综合办公室)."""
    found: dict[str, _Parsed] = {}
    for m in _TOWNSHIP_BODY.finditer(text):
        parsed = _find_in(text[max(0, m.start() - 12) : m.end()], whole=False)
        if parsed is not None and parsed.partial in (None, "county") and parsed.name.endswith(m.group()):
            found[parsed.name] = parsed
    if len(found) == 1 and _fits_self_word((only := next(iter(found.values()))).name, text):
        return only
    return None


def _fits_self_word(name: str, text: str) -> bool:
    """The text speaks of itself (我局) in a word that fits name (X统计局)."""
    words = {m.group(1) for m in _SELF_WORD.finditer(text)}
    return any(name.endswith(_SELF_FITS.get(word, (word,))) for word in words)


def _site_region(site_name: str) -> divisions.Division | None:
    """The one most specific division a portal's name holds (信丰县人民政府, 赣州市信丰县政府门户网站)."""
    mentions = _division_mentions(site_name)
    # 丰县 inside 信丰县 is no mention of its own
    mentions = [d for d in mentions if not any(o.name != d.name and o.name.endswith(d.name) for o in mentions)]
    deepest = {d.name: d for d in mentions if not any(_inside(o, d) for o in mentions if o.code != d.code)}
    return next(iter(deepest.values())) if len(deepest) == 1 else None


def _on_site(organ: str, site: divisions.Division) -> str | None:
    """县档案局 (or 档案局) on 信丰县人民政府's site: 信丰县档案局; None where the level differs (区统计局 on a county's
    portal) or the name does not parse whole."""
    if organ[0] in "省市区县旗州" and parse_name(organ[1:]) is not None:
        if organ[0] != site.name[-1]:
            return None
        organ = organ[1:]
    parsed = parse_name(site.name + organ)
    return parsed.name if parsed is not None and parsed.partial is None else None


def _regionless_organs(text: str) -> set[str]:
    """Organs the text's title lines or sentences name without their region (县档案局2023年…, 2021年,县统计局…)."""
    head = [ln for ln in map(normalize, text.splitlines()[:8]) if ln and _is_title_line(ln)]
    organs = {p.name for p in _names_in_title_lines(head) if p.partial == "region"}
    organs |= {m.group("level") + m.group("organ") for m in _LEVEL_ORGAN.finditer(text[:_OPENING_CHARS])}
    return {o for o in organs if (p := parse_name(o)) is not None and p.partial == "region"}


_TITLE_SEPARATORS = re.compile(r"\s*[_|\uff5c]\s*|\s+[-—–]\s+")


def weigh_page_meta(found: AgencyName, text: str, meta: PageMeta) -> AgencyName:
    """The text's reading (`found`) with the page's meta tags weighed in. The text's sure reading stands; where
    it is unsure or unknown: ArticleTitle is read as the title the text lacks; a ContentSource (or Author)
    agreeing with the text's probable name makes it sure, one of the body's candidates decides between them,
    one fitting the text's 我局 names it (probable); SiteName gives only the region of a body the page names
    without one (县档案局 on 信丰县人民政府's site, probable). SiteName alone never names the publisher: a city's
    portal hosts every department's report."""
    if found.confidence == "high":
        return found
    text = simplified_if_traditional(text)
    # (the report's title only: a site appends its own name, 2023年…年度报告_信丰县人民政府, which is no publisher)
    title = next((t for t in _TITLE_SEPARATORS.split(meta.article_title or "") if _TITLE_TAIL_RE.search(t)), None)
    if title:
        titled = find_agency_name(title + "\n" + text)
        if titled.name and titled.source and titled.source.startswith("title"):
            why = f"the page's ArticleTitle names {titled.name} (the text prints no title naming it): {titled.reason}"
            return AgencyName(titled.name, "meta-title", titled.confidence, why)
    site = _site_region(meta.site_name) if meta.site_name else None
    for source in meta.sources:
        parsed = parse_name(normalize(source))
        if parsed is None:
            continue
        name = _owner(parsed).name if parsed.partial is None else (_on_site(parsed.name, site) if site else None)
        if name is None:
            continue
        how = f"the page's ContentSource/Author {source}" + (f" on {meta.site_name}'s site" if name != source else "")
        if found.name is not None:
            if found.name == name:
                return AgencyName(name, f"{found.source}+meta", "high", f"{found.reason}; {how} agrees")
            if found.source == "body" and _fits_self_word(name, text) and not _fits_self_word(found.name, text):
                # 我局's report whose body names only its contact, 县人民政府办公室: the tag's 局 fits, the contact does not
                why = f"{how} fits how the text speaks of itself; the body names only {found.name}, which does not"
                return AgencyName(name, "meta-source", "medium", why)
            continue
        body = _names_in_body(text)
        if name in body:
            return AgencyName(
                name, "meta-source", "medium", f"{how} names one of the body's candidates ({found.reason})"
            )
        if not body and _fits_self_word(name, text):
            return AgencyName(name, "meta-source", "medium", f"{how} names the body that speaks of itself as 我/本…")
    if found.name is None and site is not None:
        named = {n for o in _regionless_organs(text) if (n := _on_site(o, site)) is not None}
        if len(named) == 1:
            name = next(iter(named))
            return AgencyName(
                name, "body+site", "medium", f"region {site.name} from the page's SiteName {meta.site_name}"
            )
    return found
