"""Pure extraction: page -> facts (govwatch.facts). No Django, Scrapy or network here.

Every public function accepts any input and never raises; a field that is not
found is None. Heuristics live in `patterns` as data, grouped by stage.
"""

from __future__ import annotations

from govwatch.extract.article import extract_article
from govwatch.extract.encoding import decode_html
from govwatch.extract.guide import extract_guide
from govwatch.extract.links import extract_links
from govwatch.extract.listpage import dated_items, extract_endpoint_list, extract_list
from govwatch.extract.page import extract_page
from govwatch.extract.pagetype import classify_page
from govwatch.extract.question import extract_question

__all__ = ["classify_page", "dated_items", "decode_html", "extract_article", "extract_endpoint_list", "extract_guide", "extract_links", "extract_list", "extract_page", "extract_question"]
