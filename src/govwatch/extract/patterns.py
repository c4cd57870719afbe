"""Extraction heuristics as data, grouped by stage (like trafilatura's xpaths.py).

Nothing here is specific to one portal: the names are the conventions of the
CMSs Chinese government portals run on (TRS WCM, Hanweb/大汉, UCAP, Founder)
and the wording of the 政府网站发展指引 and of the 信息公开 header table.
"""

from __future__ import annotations

import re

# --- Stage 0: decoding ------------------------------------------------------

# Labels that really mean GB18030: pages labelled gb2312 routinely carry GBK/GB18030 characters.
GB_ALIASES = frozenset({"gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "csgb2312", "gb18030", "chinese", "iso-ir-58"})
META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_\-.]+)""", re.I)

# --- Stage 1: page cleaning -------------------------------------------------

# Tags whose content is never page text.
DROP_TAGS = ("script", "style", "noscript", "template", "iframe", "object", "embed", "svg", "select", "button", "input", "textarea")
# Semantic boilerplate containers.
BOILERPLATE_TAGS = ("nav", "header", "footer", "aside", "menu")
# id/class fragments that mark boilerplate blocks (navigation, share bars, print/close, related links).
BOILERPLATE_ATTR = re.compile(
    r"(?:^|[\s_\-])(?:nav|navbar|menu|header|topbar|footer|copyright|breadcrumb|crumbs?|"
    r"position|location|dqwz|weizhi|share|bdshare|jiathis|toolbar|print|"
    r"sidebar|related|relevant|xgxx|xglj|friendlink|yqlj|search|login|banner|"
    r"qrcode|ewm|wza|accessibility)(?:$|[\s_\-\d])",
    re.I,
)
# Containers that hold the article body in the common CMSs; tried before the density heuristic.
BODY_SELECTORS = (
    "//*[@id='UCAP-CONTENT']",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_Editor ')]",
    "//*[contains(concat(' ', normalize-space(@class), ' '), ' TRS_UEDITOR ')]",
    "//*[@id='zoom' or @id='Zoom' or @id='fontzoom' or @id='fontZoom']",
    "//*[@id='zoomcon' or @id='zoomCon' or @id='art_content' or @id='article_content' or @id='articleContent']",
    "//*[@class='article-content' or @class='articleContent' or @class='article_content' or @class='art_content' or @class='pages_content' or @class='content_text' or @class='news_content' or @class='detail-content' or @class='view TRS_UEDITOR trs_paper_default trs_web']",
    "//*[@id='content' or @id='Content' or @id='con' or @id='text' or @id='article']",
    "//article",
)
BLOCK_TAGS = frozenset(
    "p div br tr li h1 h2 h3 h4 h5 h6 table tbody thead tfoot ul ol dl dt dd section article blockquote pre hr form center address figure figcaption header footer nav aside main".split()
)

# --- Stage 2: meta tags (政府网站发展指引, plus the usual generic names) -------

GOV_META_NAMES = (
    "SiteName", "SiteDomain", "SiteIDCode", "ColumnName", "ColumnDescription", "ColumnKeywords",
    "ColumnType", "ArticleTitle", "PubDate", "ContentSource", "Keywords", "Author", "Description",
    "Image", "Url",
)
META_PUBDATE = (
    "PubDate", "pubdate", "publishdate", "publish_date", "publishDate", "article:published_time",
    "og:article:published_time", "og:release_date", "datePublished", "dc.date", "dc.date.issued",
    "dcterms.created", "dcterms.issued", "firstpublishedtime", "createdate", "publishtime", "publish-date", "date",
)
META_TITLE = ("ArticleTitle", "og:title", "dc.title")
META_COLUMN = ("ColumnName",)

# --- Stage 3: labelled fields (header table, visible labels) -----------------

# Canonical field -> label words; a label matches with any spaces inside it ("索 引 号").
INFO_LABELS: dict[str, tuple[str, ...]] = {
    "index_number": ("索引号", "索取号", "信息索引号"),
    "doc_number": ("发文字号", "文号", "发文号", "文件编号"),
    "publisher": ("发布机构", "发文机关", "发文单位", "发布单位", "发布机关", "发布部门", "公开单位", "公开机构", "制发机关", "信息提供单位"),
    "written_date": ("成文日期", "成文时间", "印发日期", "发文日期", "生成日期"),
    "published": ("发布日期", "公开日期", "发布时间", "公开时间", "发文时间"),
    "title": ("标题", "文件名称", "信息名称", "名称"),
    "topic": ("主题分类", "主题词", "分类"),
}
# Any two of these in one table mark it as the 信息公开 header table.
INFO_TABLE_MARKERS = ("索引号", "发文字号", "发文机关", "发布机构", "成文日期", "发布日期", "主题分类", "文号", "公开方式", "公开范围", "信息分类")
# Visible labels in front of the publish date on ordinary pages, most specific first.
PUBLISHED_LABELS = ("发布时间", "发布日期", "发表时间", "发表日期", "公开日期", "公开时间", "发稿时间", "上传时间", "录入时间", "发布于", "发表于", "发布", "更新时间", "添加时间", "时间", "日期")
# An unlabelled date this close after the title (characters of page text) is the dateline.
DATELINE_WINDOW = 300
# Fallback publisher labels (a source line is weaker than the header table's organ).
SOURCE_LABELS = ("信息来源", "来源", "稿源")
LABEL_COLON = "[:：]"
# Characters allowed between the letters of a label.
LABEL_GAP = r"[ \t\u3000\xa0]*"

# --- Stage 4: 文号 and 索引号 ------------------------------------------------

OPEN_BRACKETS = "〔[［(（【{｛﹝〖"
CLOSE_BRACKETS = "〕]］)）】}｝﹞〗"
DOC_NUMBER = re.compile(
    r"(?P<prefix>[\u4e00-\u9fffA-Za-zＡ-Ｚａ-ｚ]{1,14}?)\s*[〔\[［(（【{｛﹝〖]\s*(?P<year>(?:19|20)\d\d)\s*[〕\]］)）】}｝﹞〗]\s*(?P<no>第?\s*\d{1,5}\s*号)"
)
# 国令第707号, 财政部令第12号, 公告2019年第3号, 主席令第二十九号: orders and announcements without brackets.
DOC_NUMBER_ORDER = re.compile(r"(?P<prefix>[\u4e00-\u9fff]{1,12}?(?:令|公告|通告))\s*(?:(?:19|20)\d\d\s*年\s*)?第\s*(?:\d{1,5}|[一二三四五六七八九十百千零〇]{1,8})\s*号")
# Words that are not part of a 文号 prefix when they precede it in running text.
# Greedy: cut after the last such word ("关于…的意见国办发" -> "国办发"); 共和 is part of 共和国.
DOC_PREFIX_NOISE = re.compile(r"^.*(?:根据|按照|依据|依照|印发|转发|执行|贯彻|落实|关于|现将|参照|对照|详见|见|即|(?<!共)和|与|及|或|的|是|为|以|在)")
INDEX_NUMBER_VALUE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/\-_.－—]{5,}")

# --- Stage 5: body structure --------------------------------------------------

ATTACHMENT_EXTENSIONS = ("doc", "docx", "xls", "xlsx", "pdf", "zip", "rar", "7z", "wps", "et", "dps", "ppt", "pptx", "txt", "csv", "ofd", "ceb", "tif", "tiff", "gz")
ATTACHMENT_URL = re.compile(r"\.(?:" + "|".join(ATTACHMENT_EXTENSIONS) + r")(?:$|[?#])", re.I)
ATTACHMENT_TEXT = re.compile(r"^\s*(?:附件|附表|下载|相关附件)")
# The body announces attachments: "附件：", "附件1", "附件一", "附：1."
MENTIONS_ATTACHMENT = re.compile(r"(?:^|\n)\s*(?:附件|附表)\s*(?:[:：]|[0-9０-９一二三四五六七八九十]+|\s*\n)|(?:^|\n)\s*附\s*[:：]")
# Lines after the 落款 that are not the signature: notes, distribution lists, attachment lists.
SIGNATURE_TRAILERS = re.compile(r"^\s*(?:[（(].*[）)]|抄送|抄报|印发|主送|附件|附表|联系人|联系电话|责任编辑|编辑|打印|关闭|【|\[).*$")
# A 落款 organ line is short and not a sentence.
SIGNATURE_ORGAN_MAX = 40
SENTENCE_PUNCT = re.compile(r"[。，；：:;？?！!、“”\"]|^\d+[.、]")
# A notice that issues, forwards or promulgates another document: its 落款 comes before that document.
ISSUING_NOTICE = re.compile(r"(?:印发给你们|转发给你们|批转给你们|印发你们|现予(?:以)?(?:公布|发布|印发)|予以(?:公布|发布|印发)|现将.{0,80}?(?:印发|转发|公布|发布)|现印发|公布施行|起施行|请认真(?:贯彻|组织|遵照)|遵照执行|贯彻执行)")
LEADER_SIGNATURE = re.compile(r"^(?:总理|副总理|主席|省长|市长|区长|县长|州长|镇长|乡长|部长|局长|主任|书记)\s*\S{2,4}$")
ORGAN_HINT = re.compile(r"(?:人民政府|办公室|办公厅|委员会|政府|局|厅|部|委|办|院|署|会|中心|所|站|处|室|科|镇|乡|街道|公司|队|社|团|馆|行|总局|集团|小组|指挥部|领导小组)$")

# --- Stage 6: list pages --------------------------------------------------------

DEFAULT_PLACEHOLDERS = ("暂无信息", "暂无数据", "暂无内容", "暂无记录", "没有记录", "无相关信息", "信息整理中", "正在建设中", "栏目建设中", "暂无相关信息", "没有找到相关", "无记录")
BREADCRUMB_ATTR = re.compile(r"crumb|position|location|dqwz|weizhi|current|path|mbx|daohang|wz", re.I)
BREADCRUMB_TEXT = re.compile(r"^\s*(?:当前位置|您现在的位置|你现在的位置|您的位置|你的位置|所在位置|位置)\s*[:：]?")
BREADCRUMB_SEPARATORS = re.compile(r"\s*(?:>>|>|»|＞|›|→|/|-{1,2}>|\\)\s*")
TITLE_SEPARATORS = re.compile(r"\s*(?:[_|｜—–]|\s-\s|--)\s*")
# A row date right after one of these words is not the item's date (reply, deadline, update).
ROW_OTHER_DATE = re.compile(r"(?:回复|答复|办结|办理|反馈|更新|修改|截止|结束|有效期|失效|废止|开始|报名)\S{0,3}\s*[:：]?\s*$")
# TRS pagination: createPageHTML(total, current, "index", "html") and variants with a div id first.
TRS_PAGER = re.compile(r"createPage(?:HTML|Html|html)?\s*\(([^)]*)\)")
TRS_VAR = re.compile(r"(?:var|let|const)?\s*([A-Za-z_$][\w$]*)\s*=\s*['\"]?(\d+)['\"]?\s*;")
INDEX_PAGE = re.compile(r"^(?P<stem>index|default|list|more)(?:_(?P<n>\d+))?\.(?P<ext>s?html?|jsp|php|aspx?)$", re.I)
PAGE_PARAMS = ("page", "pageNo", "pageno", "pageNum", "pagenum", "pageIndex", "pageindex", "currentPage", "currpage", "curpage", "pn", "p", "pg", "cpage", "page_no", "PageNo", "Page")
TOTAL_PAGES_TEXT = re.compile(r"(?:共\s*(\d{1,5})\s*页|第\s*\d{1,5}\s*/\s*(\d{1,5})\s*页|\b\d{1,5}\s*/\s*(\d{1,5})\s*页)")
# Hanweb keeps list items as XML records in a script until its pager renders them.
HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
HANWEB_TOTAL = re.compile(r"(?:totalpage|totalPage|pageCount|pagecount|totalPages)\s*[=:]\s*['\"]?(\d{1,5})", re.I)

# --- Stage 7: questions (政务咨询 / 领导信箱) ---------------------------------------

ASKED_LABELS = ("提问时间", "留言时间", "来信时间", "咨询时间", "提交时间", "写信时间", "来信日期", "留言日期", "提问日期", "咨询日期", "发信时间", "投诉时间", "信件时间", "申请时间")
ANSWERED_LABELS = ("回复时间", "答复时间", "办理时间", "回复日期", "答复日期", "处理时间", "办结时间", "反馈时间", "回信时间", "受理时间")
REPLY_TEXT_LABELS = ("回复内容", "答复内容", "办理结果", "回复意见", "答复意见", "处理结果", "回复", "答复")
QUESTION_MARKERS = ASKED_LABELS + ("留言内容", "来信内容", "咨询内容", "提问内容", "信件内容", "留言标题", "来信标题", "咨询标题", "回复单位", "答复单位", "办理单位")
STATUS_WORDS = ("已回复", "未回复", "待回复", "办理中", "已办结", "未办结", "处理中", "已答复", "未答复", "已受理", "待受理", "已处理", "未处理", "已反馈", "已转办", "不予受理")
STATUS_LABELS = ("办理状态", "回复状态", "处理状态", "状态", "信件状态")
EXTENSION_WORDS = re.compile(r"(?:申请延期|延期办理|已延期|延期回复|延期答复|延长办理|延期处理)")
EXTENSION_NEGATION = re.compile(r"(?:未|无|不|没有|否|非|无需|不予|未曾)\s*$")

# --- Stage 8: service guides (办事指南) ------------------------------------------

EMPTY_VALUES = frozenset({"", "无", "暂无", "空", "/", "-", "--", "—", "——", "待定", "待补充", "略", "null", "none", "None", "NULL", "无内容", "暂无内容", "暂无信息"})
FORM_NAME = re.compile(r"《([^《》\n]{1,60}?(?:表|书|单|表格|清单|样表|模板|范本|格式文本))》")
FORM_SECTION = re.compile(r"(?:表格下载|附件下载|表格及样表下载|样表下载|申请表下载|相关附件|资料下载|文书下载|表单下载|空白表格|示范文本下载|相关下载)")
GUIDE_MARKERS_MIN = 3  # guide elements needed to call a page a guide in auto mode
# 政府信息公开目录 tables: header labels of the publication date column (extract/catalogue.py).
CATALOGUE_DATE_HEADERS = re.compile(r"发布日期|发布时间|公开日期|公开时间|发文日期")
# Headings of dated boxes beside an article's body (extract/pagetype.py): their rows are not a column's list.
SIDEBAR_HEADINGS = re.compile(r"相关(?:文章|信息|新闻|阅读|链接|文件)|最新(?:信息|文章)|热点(?:信息|新闻|文章)|热门(?:文章|信息)|推荐(?:阅读|文章)|猜你喜欢|延伸阅读")
