"""Generate the corpus of bad mapping files in this folder: one file per kind of problem.

Every file starts from the same small, valid mapping (``Test 2021``, dated 2021-11-01, scope
Kongsberg/Flesberg/Rollag, three arrangements with their participants in the sheet Deltakere)
and breaks exactly one thing. The file-level rejections (empty, not a spreadsheet, encrypted,
zip bomb, Latin-1, .xls, .pdf, ...) are built byte by byte.

    python tests/intake/bad_files/make_corpus.py            # rewrite the committed corpus
    python tests/intake/bad_files/make_corpus.py --out DIR  # write it somewhere else

The committed files are what the tests read; ``test_bad_files.py`` re-runs this script into a
temporary folder and checks that the output has not drifted from them. Everything written here is
deterministic (fixed timestamps in the .xlsx/.zip files); only openpyxl/zlib versions may change
the bytes of the binary files.
"""

from __future__ import annotations

import argparse
import copy
import csv
import datetime as dt
import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIXED_TIME = (2021, 11, 1, 12, 0, 0)
JSON_FORMAT = "samarbeid-kartlegging"
NUMBER_COLUMNS = {"arsverk", "budsjett", "eierandel"}
ZIP_BOMB_MB = 420  # the reader refuses more than 400 MB unpacked

Model = dict[str, dict]  # sheet name -> {"columns": [...], "rows": [{column: text}]}


# --- the valid base mapping ---------------------------------------------------------------------


def base() -> Model:
    def sheet(columns: str, *rows: str) -> dict:
        keys = columns.split(",")
        return {"columns": keys, "rows": [dict(zip(keys, r.split(","), strict=True)) for r in rows]}

    return {
        "Kartlegging": sheet(
            "felt,verdi",
            "navn,Test 2021",
            "tittel,Prøvekartlegging av samarbeid i Numedal",
            "dato,2021-11-01",
        ),
        "Kommuner": sheet(
            "kommunenummer,kommune,region",
            "3006,Kongsberg,Kongsbergregionen",
            "3050,Flesberg,Kongsbergregionen",
            "3051,Rollag,Kongsbergregionen",
        ),
        "Ordninger": sheet(
            "id,navn,status,avsluttet,juridisk_form,organisasjonsnummer,sektor,oppgaveomrader,"
            "etablert,vertskommune,arsverk,merknader",
            "T-001,Kongsbergregionen IKS,telles,,iks,974760673,Administrasjon,13,2005,Kongsberg,2.5,",
            "T-002,Numedal barnevern,telles,,vertskommune,,Sosialtjenester,,2010,Flesberg,,",
            "T-003,Innkjøpssamarbeid Kongsberg og Rollag,avsluttet,2019,avtale,,,,2001,,,",
        ),
        "Deltakere": sheet(
            "ordning_id,deltaker,kommunenummer,type,rolle,eierandel,inn_dato,ut_dato",
            "T-001,Kongsberg,3006,kommune,eier,50,,",
            "T-001,Flesberg,3050,kommune,eier,25,,",
            "T-001,Rollag,3051,kommune,eier,25,,",
            "T-002,Flesberg,3050,kommune,deltaker,,,",
            "T-002,Rollag,3051,kommune,deltaker,,,",
            "T-003,Kongsberg,0604,kommune,deltaker,,,",
            "T-003,Rollag,0632,kommune,deltaker,,,",
        ),
    }


def row(model: Model, sheet: str, index: int) -> dict:
    return model[sheet]["rows"][index]


def arrangement(model: Model, ref: str) -> dict:
    return next(r for r in model["Ordninger"]["rows"] if r.get("id") == ref)


def add_row(model: Model, sheet: str, **values: str) -> None:
    model[sheet]["rows"].append({c: values.get(c, "") for c in model[sheet]["columns"]})


def drop_rows(model: Model, sheet: str, keep: Callable[[dict], bool]) -> None:
    model[sheet]["rows"] = [r for r in model[sheet]["rows"] if keep(r)]


def rename_column(model: Model, sheet: str, old: str, new: str) -> None:
    model[sheet]["columns"] = [new if c == old else c for c in model[sheet]["columns"]]
    model[sheet]["rows"] = [
        {(new if k == old else k): v for k, v in r.items()} for r in model[sheet]["rows"]
    ]


def drop_column(model: Model, sheet: str, column: str) -> None:
    model[sheet]["columns"].remove(column)
    for r in model[sheet]["rows"]:
        r.pop(column, None)


# --- writers --------------------------------------------------------------------------------------


def csv_bytes(model: Model, encoding: str = "utf-8", delimiter: str = ",") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n", delimiter=delimiter)
    for index, (name, sheet) in enumerate(model.items()):
        if index:
            writer.writerow([])
        writer.writerow([f"#{name}"])
        writer.writerow(sheet["columns"])
        for r in sheet["rows"]:
            writer.writerow([r.get(c, "") for c in sheet["columns"]])
    return buffer.getvalue().encode(encoding)


def _typed(column: str, text: str) -> object:
    """Numbers as numbers (as a spreadsheet or JSON writer would store them)."""
    if text == "":
        return None
    if column in NUMBER_COLUMNS:
        try:
            number = float(text)
        except ValueError:
            return text
        return int(number) if number.is_integer() else number
    return text


def json_bytes(model: Model) -> bytes:
    data: dict[str, object] = {"format": JSON_FORMAT, "versjon": 1}
    for name, sheet in model.items():
        if name == "Kartlegging":
            data["kartlegging"] = {r["felt"]: r["verdi"] or None for r in sheet["rows"]}
        else:
            data[name.lower()] = [
                {c: _typed(c, r.get(c, "")) for c in sheet["columns"]} for r in sheet["rows"]
            ]
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def xlsx_bytes(model: Model) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    book.properties.creator = "make_corpus.py"
    book.properties.created = book.properties.modified = dt.datetime(*FIXED_TIME)
    for name, sheet in model.items():
        ws = book.create_sheet(name)
        ws.append(sheet["columns"])
        for r in sheet["rows"]:
            # A text starting with "=" is stored as a real formula, as Excel would.
            ws.append([_typed(c, r.get(c, "")) for c in sheet["columns"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip_times(buffer.getvalue())


def _fixed_zip_times(data: bytes) -> bytes:
    """Rewrite a zip with fixed member timestamps (and core.xml times) so it is reproducible."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps "modified" with the time
                content = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2021-11-01T12:00:00Z", content
                )
            target.writestr(
                zipfile.ZipInfo(info.filename, FIXED_TIME),
                content,
                compress_type=zipfile.ZIP_DEFLATED,
            )
    return out.getvalue()


WRITERS: dict[str, Callable[[Model], bytes]] = {
    ".csv": csv_bytes,
    ".json": json_bytes,
    ".xlsx": xlsx_bytes,
}


# --- hand-made binary files -------------------------------------------------------------------


def cfb(stream_names: list[str]) -> bytes:
    """A minimal, structurally valid OLE2 compound file (CFB v3) with empty streams.

    Used for an encrypted .xlsx (Office wraps encrypted workbooks in CFB with the streams
    ``EncryptionInfo`` and ``EncryptedPackage``) and for an old-format .xls.
    """
    end, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, 1, 1, 0, 0x1000, end, 0, end, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    header[80:512] = b"\xff" * 432
    fat = struct.pack("<II", fat_sector, end) + b"\xff" * 504  # sector 1 = directory

    def entry(
        name: str, kind: int, left: int = no_stream, right: int = no_stream, child: int = no_stream
    ) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        raw = bytearray(128)
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 64, len(encoded), kind, 1, left, right, child)
        struct.pack_into("<IQ", raw, 116, end, 0)  # start sector, size: empty stream
        return bytes(raw)

    # CFB orders siblings by name length, then name: a chain of right siblings is a valid tree.
    names = sorted(stream_names, key=lambda n: (len(n), n.upper()))
    entries = [entry("Root Entry", 5, child=1 if names else no_stream)]
    for i, name in enumerate(names, start=1):
        entries.append(entry(name, 2, right=i + 1 if i < len(names) else no_stream))
    directory = b"".join(entries)
    directory += b"\x00" * (512 - len(directory))
    assert len(directory) == 512, "at most three streams fit in one directory sector"
    return bytes(header) + fat + directory


def png_1x1() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00", 9))
        + chunk(b"IEND", b"")
    )


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(
                zipfile.ZipInfo(name, FIXED_TIME), content, compress_type=zipfile.ZIP_DEFLATED
            )
    return out.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    + b"".join(
        b'<!ENTITY %s "%s">' % (bytes([98 + i]), b"&%s;" % bytes([97 + i]) * 10) for i in range(8)
    )
    + b']>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData>'
    b"</worksheet>\n"
)


def xml_bomb() -> bytes:
    """The base workbook with its sheet Ordninger replaced by a 'billion laughs' entity bomb."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(base()))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/worksheets/sheet3.xml"] = BILLION_LAUGHS  # sheets in order: Ordninger is third
    return zip_bytes(members)


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose one worksheet unpacks to ZIP_BOMB_MB MB of blanks (~400 KB)."""
    out = io.BytesIO()
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(zipfile.ZipInfo("[Content_Types].xml", FIXED_TIME), b"<Types/>")
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", FIXED_TIME), b"<workbook/>")
        info = zipfile.ZipInfo("xl/worksheets/sheet1.xml", FIXED_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w", force_zip64=True) as member:
            for _ in range(ZIP_BOMB_MB):
                member.write(chunk)
    return out.getvalue()


# --- the corpus -----------------------------------------------------------------------------------

CASES: dict[str, Callable[[], bytes]] = {}


def case(filename: str):
    """Register a mutation of the base mapping (written in the format of the file's extension)."""

    def register(mutate: Callable[[Model], None]) -> Callable[[Model], None]:
        def build() -> bytes:
            model = copy.deepcopy(base())
            mutate(model)
            return WRITERS[Path(filename).suffix](model)

        CASES[filename] = build
        return mutate

    return register


def raw(filename: str):
    """Register a file built byte by byte."""

    def register(build: Callable[[], bytes]) -> Callable[[], bytes]:
        CASES[filename] = build
        return build

    return register


# municipalities


@case("municipality_unknown.csv")
def _(m: Model) -> None:
    add_row(m, "Kommuner", kommune="Hjardal", region="Kongsbergregionen")


@case("municipality_ambiguous.xlsx")
def _(m: Model) -> None:
    add_row(m, "Deltakere", ordning_id="T-002", deltaker="Våler")


@case("municipality_not_valid_at_date.csv")
def _(m: Model) -> None:
    add_row(m, "Kommuner", kommunenummer="0602", kommune="Drammen", region="Drammensregionen")


@case("municipality_not_valid_when_ended.xlsx")
def _(m: Model) -> None:
    add_row(m, "Deltakere", ordning_id="T-003", deltaker="Drammen", kommunenummer="3301")


@case("number_name_mismatch.csv")
def _(m: Model) -> None:
    row(m, "Kommuner", 1)["kommunenummer"] = "3006"  # Flesberg with Kongsberg's number


@case("municipality_number_invalid.xlsx")
def _(m: Model) -> None:
    row(m, "Deltakere", 1)["kommunenummer"] = "305"


@case("scope_duplicate.csv")
def _(m: Model) -> None:
    add_row(m, "Kommuner", kommunenummer="3006", kommune="Kongsberg", region="Kongsbergregionen")


@case("county_unknown.xlsx")
def _(m: Model) -> None:
    # Buskerud fylkeskommune did not exist 2020-2023 (it was part of Viken).
    add_row(
        m, "Deltakere", ordning_id="T-002", deltaker="Buskerud fylkeskommune", type="fylkeskommune"
    )


# arrangements


@case("host_not_participant.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["vertskommune"] = "Kongsberg"


@case("arrangement_duplicate.csv")
def _(m: Model) -> None:
    add_row(m, "Ordninger", id="T-004", navn="Kongsbergregionen IKS", status="telles")


@case("id_duplicate.xlsx")
def _(m: Model) -> None:
    add_row(m, "Ordninger", id="T-002", navn="Numedal legevakt", status="telles")


@case("id_missing_column.csv")
def _(m: Model) -> None:
    drop_column(m, "Ordninger", "id")


@case("name_empty.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["navn"] = ""


@case("legal_form_unknown.csv")
def _(m: Model) -> None:
    arrangement(m, "T-002")["juridisk_form"] = "vertskomune"


@case("iks_one_municipality.xlsx")
def _(m: Model) -> None:
    drop_rows(
        m, "Deltakere", lambda r: not (r["ordning_id"] == "T-001" and r["deltaker"] != "Kongsberg")
    )


@case("ko_one_municipality.csv")
def _(m: Model) -> None:
    a = arrangement(m, "T-002")
    a["navn"], a["juridisk_form"], a["vertskommune"] = "Numedal barnevern KO", "ko", ""
    drop_rows(
        m, "Deltakere", lambda r: not (r["ordning_id"] == "T-002" and r["deltaker"] == "Rollag")
    )


@case("arsverk_not_number.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-001")["arsverk"] = "ca. fem"


@case("arsverk_negative.csv")
def _(m: Model) -> None:
    arrangement(m, "T-001")["arsverk"] = "-2"


@case("established_future.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["etablert"] = "2099"


@case("established_invalid.csv")
def _(m: Model) -> None:
    arrangement(m, "T-002")["etablert"] = "2015-2010"


@case("orgnr_checksum.csv")
def _(m: Model) -> None:
    arrangement(m, "T-001")["organisasjonsnummer"] = "974760674"


@case("orgnr_length.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-001")["organisasjonsnummer"] = "97476067"


@case("task_area_unknown.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-001")["oppgaveomrader"] = "13; 99"


@case("sector_unknown.json")
def _(m: Model) -> None:
    arrangement(m, "T-002")["sektor"] = "Sosialtjenster"


@case("status_unknown.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["status"] = "pågår"


@case("ended_invalid.csv")
def _(m: Model) -> None:
    arrangement(m, "T-003")["avsluttet"] = "for lenge siden"


@case("ended_but_counted.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["avsluttet"] = "2020"


@case("column_unknown.csv")
def _(m: Model) -> None:
    rename_column(m, "Ordninger", "vertskommune", "vertkommune")


@case("column_duplicate.xlsx")
def _(m: Model) -> None:
    m["Ordninger"]["columns"].append("merknader")


@case("sheet_empty.csv")
def _(m: Model) -> None:
    m["Ordninger"]["rows"] = []
    m["Deltakere"]["rows"] = []


# memberships


@case("membership_arrangement_unknown.csv")
def _(m: Model) -> None:
    add_row(m, "Deltakere", ordning_id="T-999", deltaker="Rollag", kommunenummer="3051")


@case("participant_duplicate.xlsx")
def _(m: Model) -> None:
    add_row(m, "Deltakere", ordning_id="T-002", deltaker="Flesberg", kommunenummer="3050")


@case("participant_missing.csv")
def _(m: Model) -> None:
    add_row(m, "Deltakere", ordning_id="T-002", type="kommune")


@case("shares_over_100.xlsx")
def _(m: Model) -> None:
    row(m, "Deltakere", 1)["eierandel"] = "40"
    row(m, "Deltakere", 2)["eierandel"] = "30"


@case("share_out_of_range.json")
def _(m: Model) -> None:
    row(m, "Deltakere", 3)["eierandel"] = "120"


@case("dates_reversed.json")
def _(m: Model) -> None:
    r = row(m, "Deltakere", 4)
    r["inn_dato"], r["ut_dato"] = "2018-01-01", "2017-06-30"


# the mapping


@case("mapping_date_missing.xlsx")
def _(m: Model) -> None:
    drop_rows(m, "Kartlegging", lambda r: r["felt"] != "dato")


@case("mapping_date_invalid.csv")
def _(m: Model) -> None:
    row(m, "Kartlegging", 2)["verdi"] = "01.11.2021"


@case("mapping_date_future.json")
def _(m: Model) -> None:
    row(m, "Kartlegging", 2)["verdi"] = "2099-11-01"


@case("sheet_missing.xlsx")
def _(m: Model) -> None:
    del m["Ordninger"]


# formula injection (one file per formula character)


@case("formula_equals.xlsx")
def _(m: Model) -> None:
    arrangement(m, "T-002")["navn"] = '=HYPERLINK("http://example.com/x","Numedal barnevern")'


@case("formula_plus.csv")
def _(m: Model) -> None:
    arrangement(m, "T-001")["merknader"] = "+cmd|' /C calc'!A0"


@case("formula_at.json")
def _(m: Model) -> None:
    arrangement(m, "T-002")["merknader"] = "@SUM(A1)"


@case("formula_minus.csv")
def _(m: Model) -> None:
    arrangement(m, "T-003")["merknader"] = "-2+3+cmd|' /C calc'!A0"


# file-level rejections


@raw("empty.xlsx")
def _() -> bytes:
    return b""


@raw("png_renamed.xlsx")
def _() -> bytes:
    return png_1x1()


@raw("docx_renamed.xlsx")
def _() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


@raw("encrypted.xlsx")
def _() -> bytes:
    return cfb(["EncryptionInfo", "EncryptedPackage"])


@raw("xls_renamed.xlsx")
def _() -> bytes:
    return cfb(["Workbook"])


@raw("old_format.xls")
def _() -> bytes:
    return cfb(["Workbook"])


@raw("xml_bomb.xlsx")
def _() -> bytes:
    return xml_bomb()


@raw("zip_bomb.xlsx")
def _() -> bytes:
    return zip_bomb()


@raw("too_large.csv")
def _() -> bytes:
    # Valid content (1.3 kB); the test lowers the limit with SAMARBEID_MAX_FILE_MB=0.001.
    model = base()
    add_row(
        model,
        "Kartlegging",
        felt="beskrivelse",
        verdi="Samarbeid mellom Kongsberg, Flesberg og Rollag. " * 8,
    )
    return csv_bytes(model)


@raw("latin1.csv")
def _() -> bytes:
    return csv_bytes(base(), encoding="latin-1")


@raw("semicolon_orgnr_checksum.csv")
def _() -> bytes:
    # Semicolon-separated (as Norwegian spreadsheet programs write CSV), with one real error.
    model = base()
    arrangement(model, "T-001")["organisasjonsnummer"] = "974760674"
    return csv_bytes(model, delimiter=";")


@raw("unknown_section.csv")
def _() -> bytes:
    return csv_bytes(base()).replace(b"#Deltakere", b"#Deltagere")


@raw("json_syntax.json")
def _() -> bytes:
    return json_bytes(base()).replace(b"\n ]\n}", b",\n ]\n}", 1)


@raw("mapping.pdf")
def _() -> bytes:
    return b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# readers with limits: the xlsx as the file says it is, limits, odd cell values, duplicates

SHEET_FILES = {"Kartlegging": 1, "Kommuner": 2, "Ordninger": 3, "Deltakere": 4}  # sheetN.xml


def xlsx_patched(model: Model, edits: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """The model as an xlsx, then each named sheet's XML edited (for what openpyxl won't write)."""
    with zipfile.ZipFile(io.BytesIO(xlsx_bytes(model))) as source:
        members = {name: source.read(name) for name in source.namelist()}
    for sheet, edit in edits.items():
        member = f"xl/worksheets/sheet{SHEET_FILES[sheet]}.xml"
        members[member] = edit(members[member])
    return zip_bytes(members)


def set_cell(reference: str, cell: str) -> Callable[[bytes], bytes]:
    """Replace (or add at the end of its row) the cell at ``reference`` by the XML ``cell``."""

    def edit(xml: bytes) -> bytes:
        pattern = rb'<c r="%s"[^>]*?(/>|>.*?</c>)' % reference.encode()
        if re.search(pattern, xml):
            return re.sub(pattern, cell.encode().replace(b"\\", b"\\\\"), xml, count=1)
        row = re.sub(r"[A-Z]+", "", reference).encode()
        return re.sub(
            rb'(<row r="%s"[^>]*>.*?)</row>' % row,
            lambda m: m[1] + cell.encode() + b"</row>",
            xml,
            count=1,
            flags=re.S,
        )

    return edit


def dimension(ref: str) -> Callable[[bytes], bytes]:
    return lambda xml: re.sub(
        rb'<dimension ref="[^"]*" ?/>', b'<dimension ref="%s"/>' % ref.encode(), xml
    )


def json_text_edit(edit: Callable[[str], str], model: Model | None = None) -> bytes:
    return edit(json_bytes(model or base()).decode("utf-8")).encode("utf-8")


@raw("participant_beyond_dimension.xlsx")
def _() -> bytes:
    # The sheet says it ends at row 8; row 9 (a participant given twice) is there all the same.
    model = base()
    add_row(model, "Deltakere", ordning_id="T-002", deltaker="Flesberg", kommunenummer="3050")
    return xlsx_patched(model, {"Deltakere": dimension("A1:H8")})


@raw("dimension_a1.xlsx")
def _() -> bytes:
    # Every sheet declares the dimension A1 (as some programs write); the data is all there.
    model = base()
    arrangement(model, "T-001")["organisasjonsnummer"] = "97476067"
    return xlsx_patched(model, {name: dimension("A1") for name in SHEET_FILES})


@raw("cell_far_away.xlsx")
def _() -> bytes:
    # One cell at the last place a sheet has: refused at once, never padded out to it.
    return xlsx_patched(
        base(),
        {
            "Ordninger": lambda xml: dimension("A1:XFD1048576")(xml).replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            )
        },
    )


@raw("column_beyond_limit.xlsx")
def _() -> bytes:
    return xlsx_patched(
        base(), {"Ordninger": set_cell("GS2", '<c r="GS2" t="inlineStr"><is><t>notat</t></is></c>')}
    )


@raw("cell_without_header.xlsx")
def _() -> bytes:
    return xlsx_patched(
        base(),
        {"Ordninger": set_cell("M3", '<c r="M3" t="inlineStr"><is><t>glemt kolonne</t></is></c>')},
    )


@raw("row_twice.xlsx")
def _() -> bytes:
    def edit(xml: bytes) -> bytes:
        row = re.search(rb'<row r="3".*?</row>', xml)[0]
        return xml.replace(row, row + row, 1)

    return xlsx_patched(base(), {"Ordninger": edit})


@raw("formula_array.xlsx")
def _() -> bytes:
    return xlsx_patched(
        base(),
        {
            "Ordninger": set_cell(
                "B3", '<c r="B3" t="str"><f t="array" ref="B3">UPPER(A3)</f><v>T-002</v></c>'
            )
        },
    )


@raw("formula_data_table.xlsx")
def _() -> bytes:
    return xlsx_patched(
        base(),
        {
            "Ordninger": set_cell(
                "L2", '<c r="L2"><f t="dataTable" ref="L2" dt2D="0" dtr="0" r1="K2"/><v>1</v></c>'
            )
        },
    )


@raw("formula_shared.xlsx")
def _() -> bytes:
    # A shared formula: the first cell has the text, the next only a reference to it.
    return xlsx_patched(
        base(),
        {
            "Ordninger": lambda xml: set_cell(
                "L3", '<c r="L3" t="str"><f t="shared" si="0"/><v>T-002x</v></c>'
            )(
                set_cell(
                    "L2",
                    '<c r="L2" t="str"><f t="shared" ref="L2:L3" si="0">A2&amp;"x"</f>'
                    "<v>T-001x</v></c>",
                )(xml)
            )
        },
    )


@raw("cell_error.xlsx")
def _() -> bytes:
    return xlsx_patched(base(), {"Ordninger": set_cell("K2", '<c r="K2" t="e"><v>#REF!</v></c>')})


@raw("cell_boolean.xlsx")
def _() -> bytes:
    return xlsx_patched(base(), {"Ordninger": set_cell("L3", '<c r="L3" t="b"><v>1</v></c>')})


@raw("cell_rich_text.xlsx")
def _() -> bytes:
    # Rich text (a bold run, a plain run, a phonetic guide) is read as its plain text.
    return xlsx_patched(
        base(),
        {
            "Ordninger": set_cell(
                "G3",
                '<c r="G3" t="inlineStr"><is><r><rPr><b/></rPr><t>Sosial</t></r><r><t>tjenster</t>'
                '</r><rPh sb="0" eb="1"><t>x</t></rPh></is></c>',
            )
        },
    )


@raw("number_not_finite.xlsx")
def _() -> bytes:
    return xlsx_patched(base(), {"Ordninger": set_cell("K2", '<c r="K2"><v>1e999</v></c>')})


@raw("date_out_of_range.xlsx")
def _() -> bytes:
    # A date cell (date style) whose serial number is beyond the year 9999.
    model = base()
    row(model, "Deltakere", 0)["inn_dato"] = dt.datetime(2018, 1, 1)  # type: ignore[assignment]
    return xlsx_patched(
        model,
        {
            "Deltakere": lambda xml: re.sub(
                rb'(<c r="G2"[^>]*>)<v>[^<]*</v>', rb"\g<1><v>99999999</v>", xml
            )
        },
    )


@case("sheet_twice.xlsx")
def _(m: Model) -> None:
    m["ordninger "] = copy.deepcopy(m["Ordninger"])


@raw("section_twice.csv")
def _() -> bytes:
    return csv_bytes(base()) + b"\n#Ordninger\nid,navn\nT-009,Nytt samarbeid\n"


@raw("cell_without_header.csv")
def _() -> bytes:
    return csv_bytes(base()).replace(
        b"T-002,Numedal barnevern,telles,,vertskommune,,Sosialtjenester,,2010,Flesberg,,",
        b"T-002,Numedal barnevern,telles,,vertskommune,,Sosialtjenester,,2010,Flesberg,,,ekstra",
    )


@raw("rows_over_limit.csv")
def _() -> bytes:
    # Valid; the test lowers the limit with SAMARBEID_MAX_ROWS=5 (Deltakere has 7 rows + header).
    return csv_bytes(base())


@raw("cells_over_limit.json")
def _() -> bytes:
    # Valid; the test lowers the limit with SAMARBEID_MAX_CELLS=100 (the file has 107 values).
    return json_bytes(base())


@raw("json_key_twice.json")
def _() -> bytes:
    return json_text_edit(
        lambda t: t.replace(
            '"navn": "Numedal barnevern",', '"navn": "Numedal barnevern",\n  "navn": "Numedal",'
        )
    )


@raw("json_key_case.json")
def _() -> bytes:
    return json_text_edit(
        lambda t: t.replace(
            '"navn": "Numedal barnevern",', '"navn": "Numedal barnevern",\n  "Navn": "Numedal",'
        )
    )


@raw("json_sheet_case.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace('"versjon": 1,', '"versjon": 1,\n "Ordninger": [],'))


@raw("json_deep.json")
def _() -> bytes:
    depth = 60_000
    return (
        b'{"format": "samarbeid-kartlegging", "versjon": 1, "ordninger": '
        + b"[" * depth
        + b"]" * depth
        + b"}\n"
    )


@raw("json_big_integer.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace('"arsverk": 2.5', '"arsverk": ' + "9" * 5000))


@raw("json_nan.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace('"arsverk": 2.5', '"arsverk": NaN'))


@raw("json_infinite.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace('"arsverk": 2.5', '"arsverk": 1e999'))


@raw("json_version_missing.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace(' "versjon": 1,\n', ""))


@raw("json_version_2.json")
def _() -> bytes:
    return json_text_edit(lambda t: t.replace('"versjon": 1,', '"versjon": 2,'))


@raw("json_sheet_not_list.json")
def _() -> bytes:
    return json_text_edit(
        lambda t: re.sub(
            r'"kommuner": \[.*?\n \]',
            '"kommuner": {"kommune": "Kongsberg"}',
            t,
            count=1,
            flags=re.S,
        )
    )


@raw("json_row_not_object.json")
def _() -> bytes:
    return json_text_edit(
        lambda t: t.replace('"ut_dato": null\n  }\n ]', '"ut_dato": null\n  },\n  "Rollag"\n ]')
    )


@case("json_value_object.json")
def _(m: Model) -> None:
    arrangement(m, "T-002")["navn"] = {"a": 1}  # type: ignore[assignment]


@case("json_list_not_allowed.json")
def _(m: Model) -> None:
    arrangement(m, "T-002")["navn"] = ["Numedal", "barnevern"]  # type: ignore[assignment]


@case("json_list_nested.json")
def _(m: Model) -> None:
    arrangement(m, "T-001")["oppgaveomrader"] = [[13]]  # type: ignore[assignment]


@case("json_boolean.json")
def _(m: Model) -> None:
    arrangement(m, "T-002")["merknader"] = True  # type: ignore[assignment]


def write(out: Path, only: set[str] | None = None) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for filename, build in CASES.items():
        if only is not None and filename not in only:
            continue
        path = out / filename
        path.write_bytes(build())
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=HERE, help="Folder to write to (default: here)")
    parser.add_argument(
        "--no-binary",
        action="store_true",
        help="Only the .csv and .json files (fast; what the drift test compares)",
    )
    args = parser.parse_args(argv)
    only = {n for n in CASES if Path(n).suffix in {".csv", ".json"}} if args.no_binary else None
    for path in write(args.out, only):
        print(f"{path.stat().st_size:>9}  {path.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
