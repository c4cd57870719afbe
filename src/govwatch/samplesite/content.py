"""Words the sample portal is made of: unit slugs, column names, titles and body text.

Everything here is clean text: the planted typos (`TYPO_PAIRS`) appear only
where the planner puts them, so the rest must stay free of common misspellings.
"""

from __future__ import annotations

import random

SITE_NAME = "君山区人民政府门户网站"
# A service of the portal's machine that is down: links to it are refused connections.
DEAD_SERVICE = "127.0.0.1:9"
SITE_ID_CODE = "4306110001"
ICP = "湘ICP备05001234号-1"
GONGAN = "湘公网安备 43061102000123号"
HOST_ORG = "君山区人民政府办公室"

# Short pinyin slugs for the section paths, in 附件1 order.
UNIT_SLUGS = {
    "0101": "zfb", "0102": "jcj", "0103": "fgj", "0104": "rsj", "0105": "ymj", "0106": "sjj",
    "0107": "czj", "0108": "mzj", "0109": "nyj", "0110": "slj", "0111": "zwzx", "0112": "lyj",
    "0113": "njj", "0114": "zjj", "0115": "jtj", "0116": "spj", "0117": "gxs", "0118": "jyj",
    "0119": "wjj", "0120": "wglj", "0121": "dst", "0122": "swj", "0123": "sfj", "0124": "szj",
    "0125": "gyy", "0126": "rfb", "0128": "ajj", "0301": "gjj", "0302": "gaj", "0303": "gongshang",
    "0304": "guoshui", "0305": "dishui", "0306": "guihua", "0307": "guotu", "0308": "fangchan",
    "0309": "huanbao", "0401": "llz", "0402": "qlh", "0403": "lxb", "0404": "xsz", "0405": "gxz",
}

ORGAN_OVERRIDES = {
    "0128": "君山区安全生产监督管理局", "0301": "君山区住房公积金管理部", "0302": "岳阳市公安局君山分局",
    "0303": "君山区工商行政管理分局", "0304": "君山区国家税务局", "0305": "君山区地方税务局",
    "0306": "君山区规划分局", "0307": "君山区国土资源分局", "0308": "君山区房产分局", "0309": "君山区环境保护分局",
    "0401": "君山区柳林洲街道办事处", "0402": "君山区钱粮湖镇人民政府", "0403": "君山区良心堡镇人民政府",
    "0404": "君山区许市镇人民政府", "0405": "君山区广兴洲镇人民政府",
}

# Document-number prefixes (发文字号) per unit: short forms used in 文号.
DOC_PREFIX_CHARS = "办监发人移审财民农水政林经建交食供教卫文视商司志园防安积公工国地规土房环柳钱良许广"


def organ_name(code: str, name: str) -> str:
    if code in ORGAN_OVERRIDES:
        return ORGAN_OVERRIDES[code]
    return "君山区" + name.removeprefix("区")


def doc_prefix(index: int) -> str:
    return "君" + DOC_PREFIX_CHARS[index % len(DOC_PREFIX_CHARS)]


# Column names by intended category (the key; town_news is news). The intent is
# the sample portal's own statement of what each column is: truth uses it as is,
# and tests compare the monitor's classifier and recompute's against it.
COLUMN_NAMES = {
    "news": ["工作动态", "部门动态", "今日君山", "要闻快讯", "基层一线", "信息速递", "新闻发布", "工作简报"],
    "town_news": ["乡镇动态", "街道动态", "村务动态"],
    "notice": ["通知公告", "公示公告", "公告公示", "通告"],
    "policy": ["政策文件", "规范性文件", "政策解读", "部门文件", "法律法规"],
    "personnel": ["人事信息", "招考录用", "人才招聘", "人事任免"],
    "plan": ["发展规划", "年度计划", "规划计划"],
    "profile": ["机构简介", "机构职能", "领导信息", "内设机构"],
    "finance": ["部门预决算", "专项资金", "收费项目", "三公经费"],
    "statistics": ["统计信息", "数据发布", "统计分析"],
    "consultation": ["咨询答复", "政民互动", "局长信箱", "在线咨询", "网民留言"],
    "guide": ["办事指南", "服务指南", "办事事项"],
    "other": ["党建工作", "建议提案办理", "领导活动", "工作总结", "政务公开年报"],
}

# Filler names whose wording implies an update frequency (附件3 二), as intended.
FILLER_EXPECTED = {"年度计划": "yearly", "领导活动": "yearly", "工作总结": "yearly", "政务公开年报": "yearly"}

CATEGORY_COLUMN_KEYS = ["news", "notice", "policy", "personnel", "plan", "profile", "finance",
                        "statistics", "consultation", "guide", "other"]

# ---------------------------------------------------------------------------
# Text pools. Sentences are complete and contain no dates.

PLACES = ["君山区政务服务中心", "区行政中心三楼会议室", "柳林洲街道便民服务中心", "钱粮湖镇人民政府", "良心堡镇农业示范园",
          "许市镇文化广场", "广兴洲镇中心小学", "君山工业园", "华容河沿线", "区人民医院"]
TOPICS = ["优化营商环境", "乡村振兴", "防汛抗旱", "安全生产", "生态环境保护", "疫情防控常态化", "民生实事",
          "基层党建", "政务公开", "农村人居环境整治", "就业创业", "文明城市创建", "耕地保护", "河长制",
          "招商引资", "政务服务提质增效", "食品安全", "校园安全", "森林防火", "老旧小区改造"]
MEETINGS = ["专题会议", "工作推进会", "调度会", "座谈会", "现场会", "动员部署会", "培训班", "督查调研"]
PEOPLE = ["区委常委、副区长", "局党组书记、局长", "党委书记", "镇长", "副局长", "主任", "分管负责同志"]
SURNAMES = ["李", "王", "张", "刘", "陈", "杨", "周", "吴", "胡", "彭", "谢", "易"]
GIVEN = ["建国", "海燕", "志强", "丽华", "卫东", "晓明", "文斌", "春梅", "国平", "红霞", "新民", "德华"]

NEWS_LEADS = [
    "{md}上午，{unit}召开{topic}{meeting}，{person}{who}出席会议并讲话。",
    "{md}，{person}{who}带队深入{place}，就{topic}工作开展专题调研。",
    "{md}下午，{unit}组织干部职工在{place}开展{topic}主题活动。",
    "{md}，{unit}举办{topic}业务{meeting}，各相关股室负责人参加。",
    "{md}上午，全区{topic}{meeting}在{place}召开，{unit}作表态发言。",
]
NEWS_SENTENCES = [
    "会议传达学习了上级有关文件精神，通报了前一阶段工作进展情况。",
    "会议强调，要提高政治站位，压实工作责任，确保各项任务按时完成。",
    "调研组一行实地察看了项目建设现场，详细了解工程进度和存在的困难。",
    "与会人员围绕工作重点和难点进行了深入交流，提出了具体意见建议。",
    "活动现场共发放宣传资料五百余份，接受群众咨询一百余人次。",
    "下一步，该局将持续跟踪问效，推动各项措施落地见效。",
    "参加活动的干部职工纷纷表示，将以更加饱满的热情投入到本职工作中。",
    "会议要求，各单位要加强协调配合，形成工作合力，确保取得实效。",
    "此次活动进一步增强了群众的参与意识，营造了良好的社会氛围。",
    "据了解，今年以来全区累计排查整改各类问题六十余个。",
]
DOC_SENTENCES = [
    "为进一步做好{topic}工作，根据上级有关文件精神，结合我区实际，现将有关事项通知如下。",
    "各单位要高度重视，明确责任分工，认真组织实施，确保工作取得实效。",
    "请各单位按照要求认真做好相关工作，并将工作开展情况及时报送。",
    "本办法适用于全区范围内的{topic}相关工作，由区有关部门负责具体实施。",
    "各相关单位要加强统筹协调，建立健全工作机制，及时研究解决工作中遇到的问题。",
    "对工作推进不力、造成不良影响的，将按照有关规定严肃追究相关人员责任。",
    "工作中遇到的问题，请及时与区{topic}工作领导小组办公室联系。",
    "各镇（街道）、场，区直有关单位要对照任务清单，逐项抓好落实。",
]
FINANCE_SENTENCES = [
    "根据《中华人民共和国预算法》和上级有关要求，现将本单位相关财政资金信息予以公开。",
    "本单位收入主要来源于财政拨款，支出主要用于保障机构正常运转和完成年度工作任务。",
    "专项资金严格按照规定用途使用，实行专款专用、专账核算。",
    "公开内容包括收支总表、收入表、支出表和相关说明，欢迎社会各界监督。",
]
QUESTION_BODIES = [
    "您好，我想咨询一下{topic}方面的政策，具体需要准备哪些材料，到哪里办理？",
    "请问我们小区附近的{topic}问题什么时候能够解决？居民反映多次了。",
    "您好，本人在外务工，想了解{topic}相关补贴的申请条件和办理时限。",
    "请问{topic}相关事项能否在网上办理？需要本人到现场吗？",
]
REPLY_BODIES = [
    "您好！您反映的问题已收悉。经核实，相关事项可在区政务服务中心综合窗口办理，需携带本人身份证原件。感谢您的关注。",
    "您好！经了解，相关工作已纳入年度计划，目前正在有序推进，我们将加强跟踪督办。感谢您的监督。",
    "您好！相关补贴的申请条件及所需材料已在本网站办事指南栏目公开，您也可拨打咨询电话了解详情。",
]
GUIDE_ITEMS = ["城乡居民养老保险参保登记", "建设工程规划许可证核发", "食品经营许可", "最低生活保障申请",
               "临时救助申请", "林木采伐许可证核发", "道路运输经营许可", "残疾人两项补贴申请", "水土保持方案审批",
               "户外广告设置审批", "医师执业注册", "民办学校设立审批", "农村宅基地审批", "就业失业登记"]
GUIDE_BASES = ["《中华人民共和国行政许可法》", "《社会救助暂行办法》", "《湖南省实施〈中华人民共和国城乡规划法〉办法》",
               "《食品经营许可管理办法》", "《中华人民共和国森林法》"]
FORM_NAMES = ["申请表", "登记表", "审批表", "承诺书", "申请书", "备案表"]

# The confusion pairs the text checker knows (wrong -> right), and one expression error.
TYPO_PAIRS = [
    ("按装", "安装"), ("既使", "即使"), ("布署", "部署"), ("贯撤", "贯彻"), ("再接再励", "再接再厉"),
    ("迫不急待", "迫不及待"), ("按步就班", "按部就班"), ("走头无路", "走投无路"), ("鞠躬尽粹", "鞠躬尽瘁"),
    ("墨守成归", "墨守成规"), ("励行节约", "厉行节约"), ("签定合同", "签订合同"), ("震憾", "震撼"),
    ("松驰", "松弛"), ("编缉", "编辑"), ("气慨", "气概"), ("防碍", "妨碍"), ("脉博", "脉搏"), ("重迭", "重叠"),
    ("即然", "既然"), ("一如继往", "一如既往"), ("建全", "健全"), ("既往不究", "既往不咎"), ("一股作气", "一鼓作气"),
    ("通迅", "通讯"), ("座落", "坐落"), ("部份", "部分"), ("观注", "关注"),
]
EXPRESSION_PAIRS = [("中华人民共合国", "中华人民共和国")]

# A sentence frame for each planted wrong word: "{w}" is where the word goes.
TYPO_FRAMES = {
    "按装": "工作人员已为群众免费{w}了节水器具。", "既使": "{w}任务再重，也要确保质量不打折扣。",
    "布署": "会议对下一阶段重点工作进行了{w}。", "贯撤": "要认真{w}落实上级决策，确保政令畅通。",
    "再接再励": "希望大家{w}，争取更好成绩。", "迫不急待": "群众{w}地想了解新政策的具体内容。",
    "按步就班": "各项工作正{w}地推进。", "走头无路": "不能让困难群众陷入{w}的境地。",
    "鞠躬尽粹": "他在基层工作三十年，{w}，深受群众好评。", "墨守成归": "要勇于创新，不能{w}。",
    "励行节约": "各单位要{w}，反对铺张浪费。", "签定合同": "双方已正式{w}，项目即将开工。",
    "震憾": "展览内容令人{w}，教育意义深刻。", "松驰": "节假日期间安全防范工作不能{w}。",
    "编缉": "本期简报由办公室负责{w}。", "气慨": "展现了新时代党员干部的英雄{w}。",
    "防碍": "不得以任何理由{w}执法人员依法履职。", "脉博": "要紧扣时代{w}，推动工作创新。",
    "重迭": "要避免检查事项{w}，减轻基层负担。", "即然": "{w}定了目标，就要坚定不移抓落实。",
    "一如继往": "该局将{w}地支持企业发展。", "建全": "要进一步{w}工作机制，完善管理制度。",
    "既往不究": "对主动说明问题的，可以{w}。", "一股作气": "要{w}完成年度目标任务。",
    "通迅": "请各单位及时更新{w}录。", "座落": "项目{w}在君山工业园东区。",
    "部份": "{w}群众反映办事流程较为繁琐。", "观注": "此次活动受到社会各界广泛{w}。",
    "中华人民共合国": "依据《{w}政府信息公开条例》有关规定执行。",
}
# The same frames with the right word: the near misses of error.typo.
RIGHT_OF = dict(TYPO_PAIRS + EXPRESSION_PAIRS)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def fill(rng: random.Random, template: str, **kw) -> str:
    values = {"topic": rng.choice(TOPICS), "meeting": rng.choice(MEETINGS), "place": rng.choice(PLACES),
              "who": rng.choice(PEOPLE), "person": person(rng)}
    values.update(kw)
    return template.format(**values)


def news_title(rng: random.Random, unit: str) -> str:
    forms = ["{unit}召开{topic}{meeting}", "{unit}扎实推进{topic}工作", "{unit}开展{topic}专项行动",
             "{topic}{meeting}在{place}召开", "{unit}部署{topic}重点工作", "{unit}组织开展{topic}宣传活动"]
    return fill(rng, rng.choice(forms), unit=unit)


def doc_title(rng: random.Random, organ: str, genre: str) -> str:
    topic = rng.choice(TOPICS)
    forms = {
        "通知": [f"关于做好{topic}工作的通知", f"关于开展{topic}专项检查的通知", f"关于印发《{topic}工作要点》的通知"],
        "办法": [f"{organ}{topic}管理办法", f"关于{topic}的实施办法"],
        "意见": [f"关于加强{topic}工作的实施意见", f"关于进一步推进{topic}的意见"],
        "方案": [f"{topic}专项行动实施方案", f"关于{topic}的工作方案"],
        "公告": [f"关于{topic}有关事项的公告", f"{organ}公告"],
        "公示": [f"关于{topic}拟表彰对象的公示", f"{topic}项目评审结果公示"],
        "解读": [f"《关于加强{topic}工作的实施意见》政策解读", f"图文解读：{topic}新政要点"],
        "规划": [f"君山区{topic}发展规划", f"{topic}三年行动计划"],
        "计划": [f"{organ}年度工作计划", f"{topic}工作计划"],
        "人事": [f"{organ}公开招聘工作人员公告", "关于拟任职干部的任前公示", f"{topic}岗位招考简章"],
        "财政": [f"{organ}部门预算公开", f"{organ}部门决算公开", f"{topic}专项资金使用情况"],
        "统计": [f"{topic}统计数据发布", "君山区主要经济指标完成情况"],
        "其他": [f"{organ}{topic}工作总结", f"{topic}工作情况报告", f"关于{topic}建议的答复"],
    }
    return rng.choice(forms[genre])


def paragraphs(rng: random.Random, pool: list[str], n: int) -> list[str]:
    return [fill(rng, s) for s in rng.sample(pool, min(n, len(pool)))]
