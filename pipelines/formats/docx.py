"""Reader for DOCX files: paragraphs and tables in body order, merged cells resolved.

The main document part (word/document.xml, found as Word finds it: the package's officeDocument
relationship, checked to be a WordprocessingML document by its content type) is parsed with lxml
and walked directly; python-docx's object model cost most of a DOCX parse, and the text is read
as its `.text` reads it: a paragraph is its runs and hyperlinks' runs, a run its w:t, tabs, line
breaks (a page or column break is no text), soft carriage returns and non-breaking hyphens. A
horizontally merged cell spans `gridSpan` grid columns and a vertically merged one continues
(`vMerge`) the cell above, which is not read again.

Before anything is inflated, the package's directory is checked against the limits (members,
inflated size of each XML part and of the whole; zipfile stops a member at its declared size and
fails its CRC if it inflates further, so the declared sizes bound what is inflated), and no XML
part may declare a DTD: OOXML parts never do, and a DTD is how entity expansion (billion laughs)
and external entities (XXE) get in (the parser resolves no entities either).
"""

from __future__ import annotations

import email
import email.policy
import io
import posixpath
import zipfile
from collections.abc import Callable, Iterator

from lxml import etree
from lxml.etree import _Element

from pipelines.formats.document import Row, UnreadableDocument, paragraph, without_invisible
from pipelines.formats.limits import ParseLimits, over

_MIB = 1 << 20

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC, _R, _SDT, _SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "tr", "tc", "r", "sdt", "sdtContent"))
_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_PACKAGE_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CONTENT_TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
# As python-docx parses its parts: whitespace between elements dropped, no entities resolved.
_PARSER = etree.XMLParser(remove_blank_text=True, resolve_entities=False)

# A run's inner content and its text (python-docx's run.text).
_RUN_TEXT = {
    f"{_W}t": None,  # its own text
    f"{_W}tab": "\t",
    f"{_W}ptab": "\t",
    f"{_W}cr": "\n",
    f"{_W}noBreakHyphen": "-",
    f"{_W}br": "br",  # a line break; a page or column break is no text
}
# What wraps runs inside a paragraph and is shown as its runs are (ECMA-376 Part 1, 17.3.2, 17.5, 17.13, 17.16):
# a link, a revision's inserted or moved-to text (Word with markup off, and once accepted), a custom XML element,
# a smart tag (Word 2003's chsdate/chmetcnv/PersonName, kept by later Words), a simple field's result, text
# direction. A content control's (w:sdt) text is its w:sdtContent. A deletion (w:del/w:delText) and a move's
# source (w:moveFrom) are not shown; a complex field's instruction is w:instrText, which is no text.
_INLINE_WRAPPERS = frozenset(
    f"{_W}{t}" for t in ("hyperlink", "ins", "moveTo", "customXml", "smartTag", "fldSimple", "dir", "bdo")
)
# What wraps paragraphs and tables (a body's or a cell's), rows (a table's) and cells (a row's) and is shown as
# what it wraps: a content control and a custom XML element.
_BLOCK_WRAPPERS = frozenset((_SDT, f"{_W}customXml"))
_RPR, _HIDING, _VAL = f"{_W}rPr", (f"{_W}vanish", f"{_W}specVanish"), f"{_W}val"
_SHOWING_PLACEHOLDER = f"{_W}showingPlcHdr"  # in a w:sdtPr
_STYLE, _P_STYLE, _R_STYLE = f"{_W}style", f"{_W}pPr/{_W}pStyle", f"{_W}rStyle"
_STYLE_NAMES = (f"{_W}pStyle", _R_STYLE)
_STYLES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_GRID_BEFORE, _GRID_SPAN, _V_MERGE = (
    f"{_W}{p}/{_W}{n}" for p, n in (("trPr", "gridBefore"), ("tcPr", "gridSpan"), ("tcPr", "vMerge"))
)
_TRPR_DELETED = f"{_W}trPr/{_W}del"
# Text boxes: their content (w:txbxContent), Word 2010's copies in mc:AlternateContent, what hides a box.
_TXBX = f"{_W}txbxContent"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_MC_CHOICE, _MC_FALLBACK = f"{_MC}Choice", f"{_MC}Fallback"
_REMOVED = frozenset((f"{_W}del", f"{_W}moveFrom"))
# A part imported into the body (w:altChunk r:id): read where it is a web page.
_ALT_CHUNK = f"{_W}altChunk"
_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_MHT_TYPES = ("message/rfc822", "multipart/related", "application/x-mimearchive")
_OFF = ("false", "0", "off")


def _on(toggle: _Element) -> bool:
    """An on/off property's value: on unless its w:val says off (a bare <w:vanish/> is on)."""
    return toggle.get(_VAL, "true").lower() not in _OFF


def _style_vanish(styles: _Element) -> tuple[bool, dict[tuple[str, str], bool]]:
    """(whether the document defaults hide text, whether each (type, styleId) style hides it). w:vanish is a toggle
    property (ECMA-376 Part 1, 17.7.3): in a style an on value turns the state over (an off one leaves it), through
    the styles it is based on; ("paragraph", "") is the default paragraph style's."""
    defaults = styles.find(f"{_W}docDefaults/{_W}rPrDefault/{_RPR}/{_W}vanish")
    by_id = {(s.get(f"{_W}type", "paragraph"), s.get(f"{_W}styleId", "")): s for s in styles.iterchildren(_STYLE)}
    hides: dict[tuple[str, str], bool] = {}
    for (kind, style_id), style in by_id.items():
        state, seen, at = False, set(), style
        while at is not None and id(at) not in seen:  # a basedOn loop ends where it repeats
            seen.add(id(at))
            toggle = at.find(f"{_RPR}/{_W}vanish")
            state ^= toggle is not None and _on(toggle)
            based = at.find(f"{_W}basedOn")
            at = None if based is None else by_id.get((kind, based.get(_VAL, "")))
        hides[(kind, style_id)] = state
        if kind == "paragraph" and style.get(f"{_W}default", "").lower() in ("1", "true", "on"):
            hides[(kind, "")] = state
    return defaults is not None and _on(defaults), hides


def _styled_hidden_runs(root: _Element, styles: _Element) -> list[_Element]:
    """The runs without a hiding toggle of their own that their paragraph's style or their character style hides
    (document defaults, then the paragraph style, then the character style, each toggling)."""
    default, hides = _style_vanish(styles)
    if not default and not any(hides.values()):
        return []
    hidden = []
    for run in root.iter(_R):
        props = run.find(_RPR)
        if props is not None and any(props.find(t) is not None for t in _HIDING):
            continue  # direct formatting sets the property outright: the toggles' pass decides
        p = next(run.iterancestors(_P), None)
        style = None if p is None else p.find(_P_STYLE)
        state = default ^ hides.get(("paragraph", "" if style is None else style.get(_VAL, "")), False)
        char = None if props is None else props.find(_R_STYLE)
        if char is not None:
            state ^= hides.get(("character", char.get(_VAL, "")), False)
        if state:
            hidden.append(run)
    return hidden


def _drop_unshown_runs(root: _Element, load_styles: Callable[[], _Element | None]) -> None:
    """Take out of the tree the runs Word does not show: those formatted hidden (w:rPr/w:vanish on, or
    w:specVanish; or hidden through their styles in styles.xml) and a content control's placeholder (w:sdtPr/
    w:showingPlcHdr: the grey prompt of a control nothing was typed in; its cells and paragraphs stay, empty).
    One pass over the part's toggles, so a document without any costs nothing; the styles are loaded only where a
    paragraph or run names one (w:pStyle, w:rStyle: a style hiding the text of paragraphs that name none would be
    the default paragraph style or the document defaults, hiding the whole document)."""
    runs: list[_Element] = []
    styled = False
    for toggle in root.iter(*_HIDING, _SHOWING_PLACEHOLDER, *_STYLE_NAMES):
        if toggle.tag in _STYLE_NAMES:
            styled = True
            continue
        if not _on(toggle):
            continue
        parent = toggle.getparent()
        if toggle.tag == _SHOWING_PLACEHOLDER:
            content = None if parent is None or parent.getparent() is None else parent.getparent().find(_SDT_CONTENT)
            if content is not None:
                runs.extend(content.iter(_R))
        elif parent is not None and parent.tag == _RPR and parent.getparent() is not None:
            runs.append(parent.getparent())
    styles = load_styles() if styled else None
    if styles is not None:
        runs.extend(_styled_hidden_runs(root, styles))
    for run in runs:
        if run.tag == _R and run.getparent() is not None:
            run.getparent().remove(run)


def _run_text(run: _Element) -> str:
    out = []
    for child in run:
        kind = _RUN_TEXT.get(child.tag, "")
        if kind is None:
            out.append(child.text or "")
        elif kind == "br":
            out.append("\n" if child.get(f"{_W}type", "textWrapping") == "textWrapping" else "")
        else:
            out.append(kind)
    return "".join(out)


def _inline_text(parent: _Element, out: list[str]) -> None:
    for child in parent:
        tag = child.tag
        if tag == _R:
            out.append(_run_text(child))
        elif tag in _INLINE_WRAPPERS:
            _inline_text(child, out)
        elif tag == _SDT:
            for content in child.iterchildren(_SDT_CONTENT):
                _inline_text(content, out)


def _paragraph_text(p: _Element) -> str:
    """The paragraph as Word shows it: its runs through the wrappers above (hidden runs are out of the tree:
    _drop_unshown_runs), characters Word draws as nothing (U+200B, U+FEFF, ... pasted from web pages) left out."""
    out: list[str] = []
    _inline_text(p, out)
    return without_invisible("".join(out))


def _children(parent: _Element, tags: tuple[str, ...]) -> Iterator[_Element]:
    """parent's children with one of `tags`, in order, looking through content controls and custom XML."""
    for child in parent:
        if child.tag in tags:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            inner = next(child.iterchildren(_SDT_CONTENT), None) if child.tag == _SDT else child
            if inner is not None:
                yield from _children(inner, tags)


def _property(element: _Element, path: str) -> str | None:
    """The w:val of element's property at `path` (w:tcPr/w:gridSpan), "" when it has none; None when absent."""
    found = element.find(path)
    return None if found is None else found.get(_VAL, "")


def _text_boxes(p: _Element) -> Iterator[_Element]:
    """The w:txbxContent of the text boxes anchored in paragraph p that Word shows: a drawing's (wps:txbx) or a
    VML shape's (v:textbox); of mc:AlternateContent's copies, its mc:Choice's, the mc:Fallback's only where no
    Choice holds one (Word shows one copy); not a box inside another (read with it) nor in a deletion."""
    for box in p.iter(_TXBX):
        shown = True
        for above in box.iterancestors():
            if above is p:
                break
            if above.tag == _TXBX or above.tag in _REMOVED:
                shown = False
                break
            if above.tag == _MC_FALLBACK:
                alternate = above.getparent()
                choices = () if alternate is None else alternate.iterchildren(_MC_CHOICE)
                shown = not any(next(c.iter(_TXBX), None) is not None for c in choices)
                break
        if shown:
            yield box


def _cell_paragraph_texts(p: _Element) -> list[str]:
    """A data cell's paragraph as Word shows it in the cell: the text boxes anchored in it (a figure typed in a box
    laid over the cell), then its own text."""
    boxes = [_paragraph_text(q) for box in _text_boxes(p) for q in box.iter(_P)]
    return [*boxes, _paragraph_text(p)]


def _block_rows(block: _Element, rows: list[Row]) -> None:
    """The rows of a table, or of a paragraph: its text boxes' before its own lines."""
    if block.tag == _TBL:
        rows.extend(_table_rows(block))
        return
    for box in _text_boxes(block):
        _contents_rows(box, rows)
    for line in _paragraph_text(block).split("\n"):
        if line.strip():
            rows.append(paragraph(line))


def _contents_rows(container: _Element, rows: list[Row]) -> None:
    """The rows of a text box's or a layout cell's paragraphs and tables, in order."""
    for block in _children(container, (_P, _TBL)):
        _block_rows(block, rows)


def _table_rows(table: _Element) -> list[Row]:
    rows: list[Row] = []
    boxed = next(table.iter(_TXBX), None) is not None  # one look down the table, not one a cell
    for tr in _children(table, (_TR,)):
        if tr.find(_TRPR_DELETED) is not None:  # a row deleted with changes tracked: Word no longer shows it
            continue
        cell_blocks = [(tc, list(_children(tc, (_P, _TBL)))) for tc in _children(tr, (_TC,))]
        if any(block.tag == _TBL for _, blocks in cell_blocks for block in blocks):
            # A layout row (a frame around the report, the report beside a margin column): what its cells hold.
            for _, blocks in cell_blocks:
                for block in blocks:
                    _block_rows(block, rows)
            continue
        cells: list[str] = []
        positions: list[float] = []
        before = _property(tr, _GRID_BEFORE)
        col = int(before) if before else 0
        for tc, blocks in cell_blocks:
            span_val = _property(tc, _GRID_SPAN)
            span = int(span_val) if span_val else 1
            merge = _property(tc, _V_MERGE)
            if merge is None or merge not in ("continue", ""):  # a bare <w:vMerge/> continues too
                if boxed:
                    texts = (text.strip() for p in blocks for text in _cell_paragraph_texts(p))
                else:
                    texts = (_paragraph_text(p).strip() for p in blocks)
                cells.append(" ".join(t for t in texts if t))
                positions.append(float(col))
            col += span
        if cells:
            rows.append(Row(tuple(cells), positions=tuple(positions)))
    return rows


def _mib(n: int) -> str:
    return f"{n / _MIB:.1f} MiB" if n < 10 * _MIB else f"{n / _MIB:.0f} MiB"


def check_package(data: bytes, name: str, limits: ParseLimits) -> zipfile.ZipFile:
    """The DOCX's ZIP directory, once it is known to be a DOCX within the limits; raises
    UnreadableDocument naming the file and the limit (or the problem) otherwise."""
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
        members = package.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as exc:
        raise UnreadableDocument(f"{name}: not a readable ZIP/DOCX file ({exc})") from exc
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or not any(n.startswith("word/") for n in names):
        raise UnreadableDocument(f"{name}: a ZIP archive, not a DOCX report; unpack it into the raw folder")
    if len(members) > limits.zip_members:
        raise UnreadableDocument(f"{name}: " + over("the DOCX has", f"{len(members)} members", "zip_members", limits))
    total = sum(m.file_size for m in members)
    if total > limits.inflated_bytes:
        raise UnreadableDocument(
            f"{name}: " + over("the DOCX inflates to", _mib(total), "inflated_mib", limits) + " (a zip bomb?)"
        )
    for member in members:
        if not member.filename.endswith((".xml", ".rels")):
            continue
        if member.file_size > limits.xml_part_bytes:
            raise UnreadableDocument(
                f"{name}: "
                + over(
                    f"{member.filename} inflates to",
                    _mib(member.file_size),
                    "xml_part_mib",
                    limits,
                )
                + " (a zip bomb?)"
            )
        try:
            with package.open(member) as fh:
                head = fh.read(4096)
        except (zipfile.BadZipFile, NotImplementedError, EOFError, OSError, RuntimeError) as exc:
            raise UnreadableDocument(f"{name}: {member.filename} cannot be inflated ({exc})") from exc
        if b"<!doctype" in head.lower():
            raise UnreadableDocument(
                f"{name}: {member.filename} declares a DTD (<!DOCTYPE>), which DOCX parts never do; "
                "entities and external references are refused"
            )
    return package


def _content_type(package: zipfile.ZipFile, partname: str) -> str | None:
    """The content type [Content_Types].xml gives the part `partname` (/word/document.xml)."""
    types = etree.fromstring(package.read("[Content_Types].xml"), _PARSER)
    for override in types.iterchildren(f"{_CONTENT_TYPES}Override"):
        if override.get("PartName", "").lower() == partname.lower():
            return override.get("ContentType")
    extension = posixpath.splitext(partname)[1][1:].lower()
    for default in types.iterchildren(f"{_CONTENT_TYPES}Default"):
        if default.get("Extension", "").lower() == extension:
            return default.get("ContentType")
    return None


def _main_part(package: zipfile.ZipFile) -> tuple[_Element, str]:
    """The root of the package's main document part and its part name; raises what a broken package raises
    (BadZipFile, KeyError, ValueError, XMLSyntaxError)."""
    rels = etree.fromstring(package.read("_rels/.rels"), _PARSER)
    targets = [
        r.get("Target", "")
        for r in rels.iterchildren(f"{_PACKAGE_RELS}Relationship")
        if r.get("Type") == _OFFICE_DOCUMENT and r.get("TargetMode") != "External"
    ]
    if len(targets) != 1:
        raise KeyError(f"{len(targets)} main document parts")
    partname = posixpath.normpath("/" + targets[0].lstrip("/"))
    content_type = _content_type(package, partname)
    if content_type != _WORD_MAIN:
        raise ValueError(f"not a Word document: its main part is {content_type}")
    return etree.fromstring(package.read(partname[1:]), _PARSER), partname


def _relationships(package: zipfile.ZipFile, partname: str) -> list[_Element]:
    """The relationships of the part `partname` (/word/document.xml): its .rels part's, none where it has none."""
    folder, base = posixpath.split(partname)
    rels_name = f"{folder}/_rels/{base}.rels"[1:]
    if rels_name not in package.NameToInfo:
        return []
    return list(etree.fromstring(package.read(rels_name), _PARSER).iterchildren(f"{_PACKAGE_RELS}Relationship"))


def _target(partname: str, relationship: _Element) -> str:
    """The part name (/word/styles.xml) an internal relationship of the part `partname` points to."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(partname), relationship.get("Target", "")))


def _styles(package: zipfile.ZipFile, partname: str) -> _Element | None:
    """The root of the main part's styles part where a style in it may hide text (its bytes name w:vanish), else
    None: only then do the styles change what is shown, and most documents' styles are left unparsed."""
    for relationship in _relationships(package, partname):
        if relationship.get("Type") == _STYLES and relationship.get("TargetMode") != "External":
            target = _target(partname, relationship)[1:]
            if target in package.NameToInfo:
                blob = package.read(target)
                return etree.fromstring(blob, _PARSER) if b"vanish" in blob else None
    return None


def _alt_chunk_rows(package: zipfile.ZipFile, partname: str, chunk: _Element, name: str) -> list[Row]:
    """The rows of the part a w:altChunk imports (Word converts it into the document when it opens the file):
    an HTML part, or a single-file web page (MHT) whose HTML part is read, by the HTML reader. Any other part (RTF,
    plain text, another .docx) is refused with its reason rather than read as nothing."""
    rid = chunk.get(_R_ID)
    found = [r for r in _relationships(package, partname) if r.get("Id") == rid]
    if len(found) != 1 or found[0].get("TargetMode") == "External":
        raise UnreadableDocument(f"{name}: its body imports a part (w:altChunk {rid}) the package does not hold")
    target = _target(partname, found[0])
    kind = (_content_type(package, target) or "").lower()
    blob = package.read(target[1:])
    if kind in _MHT_TYPES:
        message = email.message_from_bytes(blob, policy=email.policy.default)
        pages = [p.get_payload(decode=True) for p in message.walk() if p.get_content_type() == "text/html"]
        kind, blob = ("text/html", pages[0]) if pages and isinstance(pages[0], bytes) else (kind, b"")
    if kind not in _HTML_TYPES:
        raise UnreadableDocument(
            f"{name}: its body imports {target[1:]} ({kind or 'no content type'}) through w:altChunk, which Word "
            "converts when it opens the file and this reader does not read; open it in Word or WPS and save it again"
        )
    from pipelines.formats.html import html_rows  # the DOCX reader needs it only for an imported page

    return list(html_rows(blob, f"{name} ({target[1:]})")[1])


def docx_rows(data: bytes, name: str, limits: ParseLimits | None = None) -> tuple[str, tuple[Row, ...]]:
    """(plain text, rows) of a DOCX file, read under `limits`."""
    with check_package(data, name, limits or ParseLimits.from_env()) as package:
        try:
            root, partname = _main_part(package)
            _drop_unshown_runs(root, lambda: _styles(package, partname))
        except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
            raise UnreadableDocument(f"{name}: not a readable DOCX file ({exc})") from exc
        body = root.find(f"{_W}body")
        rows: list[Row] = []
        for child in _children(body, (_P, _TBL, _ALT_CHUNK)) if body is not None else ():
            if child.tag != _ALT_CHUNK:
                _block_rows(child, rows)
            else:
                try:
                    rows.extend(_alt_chunk_rows(package, partname, child, name))
                except (zipfile.BadZipFile, KeyError, ValueError, etree.XMLSyntaxError) as exc:
                    raise UnreadableDocument(f"{name}: the part its w:altChunk imports is unreadable ({exc})") from exc
    if not rows:
        raise UnreadableDocument(f"{name}: the DOCX file has no text")
    text = "\n".join(r.cells[0] if r.is_text else " ".join(r.cells) for r in rows)
    return text, tuple(rows)
