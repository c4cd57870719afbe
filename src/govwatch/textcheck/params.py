"""Tunable settings of the text checker's detectors (weights, margins, switches).

Kept in one place so that an experiment changes one file; docs/textcheck.md
explains how each was measured. Regexes for text that is skipped live in
skipping.py.
"""

from __future__ import annotations

CN_NUMERALS = set("〇零一二三四五六七八九十百千万亿两壹贰叁肆伍陆柒捌玖拾佰仟")
# Characters never judged as typos by the generated detector: numerals and very
# frequent function characters, whose confusions need more context than a
# unigram word model has.
NEVER_WRONG = CN_NUMERALS | set("的地得了着过在是和与及或而之其于以为把被对从向将由等")
# Characters that usually stand alone as words (adverbs, modals, pronouns,
# localisers): a window that holds one of them beside the judged character most
# likely runs across a word boundary (如|需, 该|委, 将|视, 款|中).
STANDALONE = NEVER_WRONG | set("要将该如中有不这那也都就还又再可能会应须均各每并即且则但使让给向往从自至到上下内外后前里间时已未很更最所此其本")
STANDALONE_PENALTY = 3.0
# A window that begins with a surname, or right after one, is likely part of
# a personal name (魏|志明, 刘星, 胡丽华).
NAME_PENALTY = 3.0

# Near misses of official terms: in a term this long, any one inner character may be
# the wrong one (中华人民共合国), except level and organ characters, which make other
# real names (全省人民代表大会, 自然资源局), and except function characters.
LONG_TERM = 5
LEVEL_CHARS = set("国省市县区州盟旗乡镇村街道部局厅委办署室处科所站院会司中心总")

# Generated detector.
TARGET_MIN_FREQ = 20  # a correction must be a dictionary word at least this frequent
WINDOW_MAX_FREQ = 3  # a window that is a word more frequent than this is not judged
GAIN_THRESHOLD = 6.0  # log-probability margin the substitution must win by
PRIOR_SAME_TONE = 0.0  # same main reading, tone included
PRIOR_SAME = -1.0  # same reading up to the tone, or through a second reading
PRIOR_FUZZY = -3.0  # near reading (z/zh, n/l, in/ing ...)
PRIOR_SHAPE = -2.5  # look-alike characters (hand-made groups, pycorrector's same_stroke groups)
SHAPE_GROUP_FILES = ("shape_groups.txt", "shape_groups_pycorrector.txt")
USE_FOUR_CORNER = False  # True: four-corner codes differing in one corner are look-alikes too (+3% recall, 20-35% slower; docs)
PRIOR_FOUR_CORNER = -3.5
USE_GLYPHS = True  # look-alikes from rendered glyphs (data/glyphs.tsv, build_glyphs.py)
PRIOR_GLYPH = -3.0  # look-alike characters by glyph similarity
GLYPH_NEIGHBOURS = 3  # look-alikes tried per character, most similar first
WORD_HOMOPHONES = True  # a non-word run of 2-3 single characters read as a frequent word, 2+ characters changed
WORD_HOMOPHONE_CANDIDATES = 3  # most frequent words kept per reading
PRIOR_WORD_SAME_TONE = -2.5  # per changed character of a whole-word homophone, same tone
PRIOR_WORD_TONE = -3.5  # per changed character of a whole-word homophone, other tone
JUDGE_RARE = True  # characters outside charclasses.tsv may be judged (never proposed) when glyphs.tsv knows them
CONTEXT_CHARS = 2  # characters of context on each side when scoring
# Context: the character bigram model (charlm.py, data/charlm.tsv) says how well a
# correction fits the characters around it, which the unigram word model cannot.
USE_CHARLM = True
LM_WEIGHT = 0.5  # nats of gain per nat of character-model log-probability gained
LM_REACH = 3.0  # candidates up to this far below GAIN_THRESHOLD are rescored with the character model
LM_MARGIN = 3.0  # ... and must first gain this many nats under it: the model only rescues clear cases
LM_WORD_WEIGHT = 0.0  # the same weight for whole-word homophones (0: not used; it raised false alarms)
# Real-word homophones: a rare two-character word (a real word, so the window detector
# never judges it) read as a frequent word of the same toneless reading (怜恤 -> 连续),
# a typical pinyin input slip. Both models must agree strongly.
RARE_WORD_HOMOPHONES = True  # needs USE_CHARLM
RARE_WORD_MAX_FREQ = 50  # only words at most this frequent in jieba's dictionary are judged
RARE_WORD_RATIO = 10  # the correction must be at least this many times more frequent
RARE_WORD_MIN_CHANGED = 2  # characters that must differ (both, in a two-character word)
RARE_WORD_LM_WEIGHT = 0.5  # nats of gain per nat of character-model log-probability gained
RARE_WORD_THRESHOLD = 10.0  # nats the word model, the character model and the priors must add up to
MAX_JUDGED_TOKEN = 1  # tokens up to this length are judged; 2 also tries real words (a real word misread for one of the same reading in a longer term): +0.5% recall for -25% speed
REALWORD_PENALTY = 2.0  # the wrong character is part of a real two-character word
PREFIX_PENALTY = 3.0  # the window begins a longer dictionary word (jieba's prefix dict): likely a real term
MAX_WORD = 6
CONTAINING_WORD_MAX_FREQ = 5  # a dictionary token holding a curated misspelling is itself one when this rare
GOVTERM_FREQ = 2000  # frequency given to the added government vocabulary

FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"))
FUZZY_FINALS = (("ing", "in"), ("eng", "en"), ("ang", "an"), ("iang", "ian"), ("uang", "uan"))
