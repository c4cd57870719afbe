"""Article pages with the furniture every real government page has, written for the tests.

Each page: a few clean body lines (clean_gov_text.txt), then a 联系人 or
责任编辑 line with personal names, an address, a pagination bar and a footer.
The names, streets and layouts are drawn from lists written here (common
surnames and given-name characters, street-name characters, several
pagination styles), seeded, so the pages are varied but reproducible. Names
are random pairs: many read like ordinary words, which is the point.
"""

from __future__ import annotations

import random
from pathlib import Path

CLEAN_TEXT = Path(__file__).with_name("clean_gov_text.txt")

SURNAMES = ["李", "王", "张", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马",
            "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈",
            "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏",
            "钟", "汪", "田", "任", "姜", "范", "方", "石", "姚", "谭", "廖", "邹", "熊", "金", "陆", "郝", "孔", "白",
            "崔", "康", "毛", "邱", "秦", "江", "史", "顾", "侯", "邵", "孟", "龙", "万", "段", "雷", "钱", "汤", "尹",
            "黎", "易", "常", "武", "乔", "贺", "赖", "龚", "文", "欧阳", "司徒", "诸葛"]
GIVEN = list("军峰娟明华志国建文平红英伟芳丽敏静强磊勇艳杰涛超秀霞刚桂兰玲宁斌波梅琴云莉凤萍荣新利飞俊佳雪婷"
             "颖倩慧琳欣怡浩宇鑫鸿德福庆昌盛兴旺贵祥瑞成胜民生东海林春晓辉鹏亮洁娜燕凯健毅军卫忠诚学武")
STREET = list("石龙凤金建人解放中山和平新华东风朝阳胜利文化幸福滨江沿河环湖白鹤桥杨柳梧桐银杏桂花壕坝青泉沙"
              "翠竹松柏鹿鸣望江观音岩塘湾坪岭坡溪")
STREET_SUFFIX = ["路", "街", "大道", "巷", "大街"]
ORGANS = ["区政务公开办公室", "区发展和改革局", "区卫生健康局", "区教育局", "区人力资源和社会保障局", "区司法局",
          "区农业农村局", "区市场监督管理局", "区应急管理局", "区生态环境分局", "镇人民政府", "街道办事处"]


def _name(r: random.Random) -> str:
    return r.choice(SURNAMES) + "".join(r.choice(GIVEN) for _ in range(r.choice((1, 2, 2, 2))))


def _street(r: random.Random) -> str:
    return "".join(r.choice(STREET) for _ in range(r.choice((2, 2, 3)))) + r.choice(STREET_SUFFIX)


def _phone(r: random.Random) -> str:
    return f"0{r.randint(100, 999)}-{r.randint(2000000, 8999999)}"


def contact_line(r: random.Random) -> str:
    style = r.randrange(9)
    if style == 0:
        return f"联系人：{_name(r)}，联系电话：{_phone(r)}"
    if style == 1:
        return f"联系人：{_name(r)}　{_name(r)}　电话：{_phone(r)}"
    if style == 2:
        return f"主要负责人：{_name(r)}"
    if style == 3:
        return f"责任编辑：{_name(r)}"
    if style == 4:
        return f"（撰稿：{_name(r)}　审核：{_name(r)}）"
    if style == 5:
        return f"负责人：{_name(r)}；联系人：{_name(r)}；咨询电话：{_phone(r)}"
    if style == 6:
        return f"撰稿人：{_name(r)} 初审：{_name(r)} 终审：{_name(r)}"
    if style == 7:
        return f"{r.choice(ORGANS)}　联系人：{_name(r)}、{_name(r)}"
    return f"经办人：{_name(r)}（{_phone(r)}）"


def address_line(r: random.Random) -> str:
    style = r.randrange(5)
    if style == 0:
        return f"地址：{_street(r)}{r.randint(1, 400)}号"
    if style == 1:
        return f"办公地址：{r.choice(ORGANS)}（{_street(r)}{r.randint(1, 99)}号{r.randint(2, 12)}楼）"
    if style == 2:
        return f"受理地点：区政务服务中心{r.randint(1, 3)}楼{r.randint(1, 30)}号窗口（{_street(r)}{r.randint(1, 200)}号）"
    if style == 3:
        return f"通讯地址：{_street(r)}{r.randint(1, 300)}号，邮政编码：{r.randint(410000, 419999)}"
    return f"来信请寄{_street(r)}{r.randint(1, 99)}号{r.choice(ORGANS)}收"


def pager_line(r: random.Random) -> str:
    total = r.randint(2, 60)
    cur = r.randint(1, total)
    style = r.randrange(5)
    if style == 0:
        return f"首页 上一页 {cur} 下一页 尾页 共{total}页"
    if style == 1:
        return f"共{total * 20}条记录 第{cur}/{total}页 首页 上页 下页 末页"
    if style == 2:
        return f"当前第{cur}页／共{total}页　首页｜上一页｜下一页｜尾页"
    if style == 3:
        return f"上一页 {' '.join(str(i) for i in range(1, min(total, 6) + 1))} … {total} 下一页 跳转到第 页"
    return f"首页 < {cur} > 尾页 每页20条"


FOOTERS = ["主办：区人民政府办公室　承办：区大数据中心", "版权所有：区人民政府　网站标识码：4306110001",
           "打印本页　关闭窗口", "【字体：大 中 小】　【打印】　【关闭】"]


def pages(count: int, seed: int = 2026) -> list[str]:
    """`count` page texts, one line per block, as the extractor hands them to the checker."""
    r = random.Random(seed)
    body = [x for x in CLEAN_TEXT.read_text(encoding="utf-8").splitlines() if len(x) >= 15]
    out = []
    for _ in range(count):
        lines = r.sample(body, r.randint(2, 5))
        lines += [contact_line(r), address_line(r), pager_line(r), r.choice(FOOTERS)]
        out.append("\n".join(lines))
    return out
