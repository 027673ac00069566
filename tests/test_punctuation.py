"""Chinese text uses full-width punctuation: ，（）：；！？ — never half-width , ( ) : ; ! ? beside Chinese.

Scans every template under ``src/sscard/**/templates`` (text and the attributes a person reads:
placeholder, title, alt, aria-label) and every Python string literal under ``src/sscard`` that holds
Chinese. Left alone: template tags and variables, comments, scripts and styles, other HTML attributes,
format placeholders, URLs, docstrings (they are code comments) and raw strings (regular expressions).
A half-width mark counts only when the nearest non-space character on either side is Chinese, so
``9:00-12:00`` or ``(SSCARD_DEMO=true)`` inside an English sentence stay as they are.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "sscard"
HALF_WIDTH = ",():;!?"
FULL_WIDTH = {",": "，", "(": "（", ")": "）", ":": "：", ";": "；", "!": "！", "?": "？"}
# CJK ideographs, CJK symbols and punctuation (、。「」…), and full-width forms (，：（）).
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
HAS_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
URL = re.compile(r"(?:https?://|www\.)\S+")
PLACEHOLDER = re.compile(r"%\([^)]*\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|\{[^{}]*\}|%[sdif]")
READ_ATTRS = ("placeholder", "title", "alt", "aria-label")
ATTR = re.compile(r"""\b(""" + "|".join(READ_ATTRS) + r""")\s*=\s*(["'])(.*?)\2""", re.S | re.I)


def _blank(text: str, span: tuple[int, int], fill: str = " ") -> str:
    """Replace a span by ``fill`` characters, keeping newlines so offsets and line numbers hold."""
    a, b = span
    return text[:a] + "".join(c if c == "\n" else fill for c in text[a:b]) + text[b:]


def findings_in_text(text: str) -> list[tuple[int, str]]:
    """(offset, excerpt) of each half-width mark whose nearest non-space neighbour is Chinese."""
    for pattern in (URL, PLACEHOLDER):
        for m in reversed(list(pattern.finditer(text))):
            text = _blank(text, m.span(), "x")
    found = []
    for i, ch in enumerate(text):
        if ch not in HALF_WIDTH:
            continue
        before = text[:i].rstrip(" \t")[-1:]
        after = text[i + 1 :].lstrip(" \t")[:1]
        if (before and CJK.match(before)) or (after and CJK.match(after)):
            found.append((i, text[max(0, i - 8) : i + 9].replace("\n", " ").strip()))
    return found


def template_text(source: str) -> str:
    """What a person reads in a template, at the same offsets; everything else blanked."""
    text = source
    for pattern in (
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}", r"\{#.*?#\}", r"<!--.*?-->",
        r"<script\b.*?</script>", r"<style\b.*?</style>",
    ):
        for m in reversed(list(re.finditer(pattern, text, re.S | re.I))):
            text = _blank(text, m.span())
    for m in reversed(list(re.finditer(r"\{\{.*?\}\}|\{%.*?%\}", text, re.S))):
        text = _blank(text, m.span(), "x")
    kept = text
    for tag in reversed(list(re.finditer(r"<[^<>]*>", text, re.S))):
        kept = _blank(kept, tag.span())
        for attr in ATTR.finditer(tag.group(0)):
            start = tag.start() + attr.start(3)
            kept = kept[:start] + attr.group(3) + kept[start + len(attr.group(3)) :]
    return kept


def template_findings(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    return [
        f"{path.relative_to(SRC.parents[1])}:{source.count(chr(10), 0, offset) + 1}: {excerpt}"
        for offset, excerpt in findings_in_text(template_text(source))
    ]


def _docstring_nodes(tree: ast.AST) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def python_strings(source: str) -> list[tuple[int, str]]:
    """(line, text) of each string literal holding Chinese; f-string fields become placeholders."""
    tree = ast.parse(source)
    skip = _docstring_nodes(tree)
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            for part in node.values:
                skip.add(id(part))
            text = "".join(p.value if isinstance(p, ast.Constant) else "{x}" for p in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        else:
            continue
        if id(node) in skip or not HAS_IDEOGRAPH.search(text):
            continue
        literal = ast.get_source_segment(source, node) or ""
        if re.match(r"[bfuBFU]*[rR]", literal):  # a raw string: a regular expression, not text
            continue
        out.append((node.lineno, text))
    return out


def python_findings(path: Path) -> list[str]:
    rel = path.relative_to(SRC.parents[1])
    return [
        f"{rel}:{line}: {excerpt}"
        for line, text in python_strings(path.read_text(encoding="utf-8"))
        for _, excerpt in findings_in_text(text)
    ]


# --- the scanner itself -------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text",
    ["验证码已发送,请59秒后再获取", "长辈模式(大字)", "注意:", "提交成功!", "您确定吗?", "12333(工作日", "好的 ,"],
)
def test_half_width_beside_chinese_is_found(text):
    assert findings_in_text(text)


@pytest.mark.parametrize(
    "text",
    ["验证码已发送，请59秒后再获取", "工作日 9:00-12:00", "请访问 https://example.com/a,b(c) 查询",
     "请%(seconds)s秒后再获取", "请{seconds}秒后再获取", "Unset SSCARD_DEMO (see docs), then 重启"],
)
def test_full_width_code_and_english_are_left_alone(text):
    assert not findings_in_text(text)


def test_templates_are_read_like_a_person_reads_them():
    page = (
        '{% comment %}注意:这是注释{% endcomment %}<a href="/x?a=1,2" title="帮助(说明)">'
        '{{ name|default:"无,空" }}长辈模式(大字)</a><script>var a = "中文,代码";</script>'
    )
    excerpts = [e for _, e in findings_in_text(template_text(page))]
    assert len(excerpts) == 4  # two in the title, two in the text; not the comment, tag, href or script
    assert any("长辈模式" in e for e in excerpts)


def test_docstrings_and_raw_strings_are_not_text():
    source = '"""模块说明(不是界面文字)。"""\nimport re\nPATTERN = r"(\\d+)栋"\nMSG = f"请{n}秒后再获取,谢谢"\n'
    assert python_strings(source) == [(4, "请{x}秒后再获取,谢谢")]


# --- the project ---------------------------------------------------------------------------------
def test_templates_use_full_width_punctuation():
    found = [f for path in sorted(SRC.glob("**/templates/**/*")) if path.is_file()
             and path.suffix in (".html", ".txt") for f in template_findings(path)]
    assert not found, "half-width punctuation in Chinese text (use ，（）：；！？):\n" + "\n".join(found)


def test_python_strings_use_full_width_punctuation():
    found = [f for path in sorted(SRC.glob("**/*.py")) if "migrations" not in path.parts
             for f in python_findings(path)]
    assert not found, "half-width punctuation in Chinese text (use ，（）：；！？):\n" + "\n".join(found)
