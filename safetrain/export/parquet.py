"""Checked archives as a Parquet dataset (pyarrow, the `parquet` extra).

One dataset (folder) per table of export/tables.py, plus `exports`,
Hive-partitioned by the enterprise's credit code:

    DIR/people/credit_code=91640104MA75Q8D191/part-0.parquet
    DIR/labels/part-0.parquet                      (not per archive)

Every table gets a file for every archive, empty ones included, so each
dataset exists and has its schema whatever the archives hold. The partition
column `credit_code` lives in the path only (readers add it), so the
`enterprises` and `exports` files leave out their own `credit_code` column.

Columns are typed: dates `date32`, session times `timestamp[ms]` (local time,
no zone), flags `bool`, hours and scores `double`, positions and line numbers
`int32`, the rest `string`; each field carries its comment as metadata
(`description`), each schema the table's comment and key.

Re-exporting an archive replaces its partition's files and nothing else:
every file is written to a hidden temporary file in its folder first
(archive/writing/atomic.py) and all of them are renamed only when all were
written, so a failed export leaves the previous files. Same archives, same
pyarrow: byte-identical files (zstd, no timestamps in the files).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

from ..archive.writing.atomic import cannot_write, replacing, replacing_together
from ..archive.writing.outputs import Output, claim_output, refuse_records
from ..errors import SafetrainError
from .keyed import EXPORTS, PER_ARCHIVE, Keyed, Written, name_taken
from .tables import BOOL, DATE, DATETIME, INTEGER, REAL, TABLES, TEXT, Column, ExportTable, rows

INSTALL = 'pip install "safetrain[parquet]"'
MARK = "safetrain-export"  # schema metadata key: the file is this export's (value: its table)
PARTITION = "credit_code"
FILE = "part-0.parquet"
DATASETS = (*PER_ARCHIVE, EXPORTS)  # one partition file per archive each
LABELS = TABLES["labels"]

#: (Column.type, Column.kind) -> the Arrow type, by name (pyarrow is imported late)
TYPES: dict[tuple[str, str | None], str] = {
    (TEXT, None): "string",
    (TEXT, DATE): "date32",
    (TEXT, DATETIME): "timestamp[ms]",
    (INTEGER, None): "int32",
    (INTEGER, BOOL): "bool",
    (REAL, None): "float64",
}


def pyarrow_modules():
    """(pyarrow, pyarrow.parquet), or a one-line error naming the extra to install."""
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise SafetrainError(f"导出 Parquet 需要 pyarrow：{INSTALL}", f"exporting Parquet needs pyarrow: {INSTALL}") from None
    return pyarrow, pyarrow.parquet


def file_columns(table: ExportTable) -> tuple[Column, ...]:
    """The columns stored in the table's files (the partition column is in the path)."""
    if table.name == LABELS.name:
        return table.columns
    return tuple(c for c in table.columns if c.name != PARTITION)


def _arrow_type(pa, c: Column):
    return pa.type_for_alias(TYPES[(c.type, c.kind)])


def arrow_schema(table: ExportTable):
    pa, _ = pyarrow_modules()
    fields = []
    for c in file_columns(table):
        meta = {"description": c.doc} | ({"labels": c.codes} if c.codes else {})
        fields.append(pa.field(c.name, _arrow_type(pa, c), nullable=not c.required, metadata=meta))
    meta = {MARK: table.name, "description": table.doc, "primary_key": ",".join(table.key)}
    if table.name != LABELS.name:
        meta["partitioned_by"] = PARTITION
    return pa.schema(fields, metadata=meta)


def arrow_table(table: ExportTable, data: list[tuple]):
    """`data` (rows in `table`'s column order, as tables.rows gives them) as an Arrow table."""
    pa, _ = pyarrow_modules()
    schema = arrow_schema(table)
    index = {name: i for i, name in enumerate(table.column_names)}
    arrays = []
    for c, f in zip(file_columns(table), schema):
        values = [row[index[c.name]] for row in data]
        if c.kind == DATETIME:  # ISO text -> timestamp[ms]; a time written to the microsecond (TOML
            # allows 14:30:00.123456) is read as such, then cut to the millisecond
            arrays.append(pa.array(values, pa.string()).cast(pa.timestamp("us")).cast(f.type, safe=False))
        elif c.kind == DATE:  # ISO text -> date32
            arrays.append(pa.array(values, pa.string()).cast(f.type))
        elif c.kind == BOOL:  # 0/1 -> bool
            arrays.append(pa.array(values, pa.int8()).cast(f.type))
        else:
            arrays.append(pa.array(values, f.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _write(pq, path: Path, arrow) -> None:
    pq.write_table(arrow, path, compression="zstd", version="2.6", write_statistics=True)


def partition_file(out: Path, table: str, credit_code: str) -> Path:
    return out / table / f"{PARTITION}={credit_code}" / FILE


def written_by_safetrain(path: Path) -> bool:
    """An earlier output of this export: a Parquet file whose schema carries MARK."""
    _, pq = pyarrow_modules()
    try:
        metadata = pq.read_schema(path).metadata or {}
    except Exception:  # not Parquet at all (pyarrow raises its own errors)
        return False
    return MARK.encode() in metadata


def export_archive(out: Path, keyed: Keyed, force: bool = False,
                   claimed: dict[Path, Output] | None = None) -> tuple[dict[str, int], list[Output]]:
    """Write `keyed`'s partition of every dataset, replacing the previous files only
    when all are written: rows per table, and the files claimed (outputs.claim_output;
    `claimed`: those claimed already)."""
    _, pq = pyarrow_modules()
    counts = {t.name: len(keyed.rows[t.name]) for t in PER_ARCHIVE}
    data = {**keyed.rows, EXPORTS.name: [keyed.exports_row(sum(counts.values()))]}
    targets = [(t, partition_file(out, t.name, keyed.credit_code)) for t in DATASETS]
    claimed = claimed or {}
    outputs = [claimed.get(path) or claim_output(path, force=force, ours=written_by_safetrain)
               for _, path in targets]  # all, first
    with replacing_together([path for _, path in targets]) as temps:  # all renamed at once, or none
        for (t, path), tmp in zip(targets, temps):
            try:
                _write(pq, tmp, arrow_table(t, data[t.name]))
            except OSError as exc:  # said of the file it was for (a full disk)
                raise cannot_write(path, exc) from None
    return counts, outputs


def write_labels(out: Path, force: bool = False, output: Output | None = None) -> tuple[int, Output]:
    _, pq = pyarrow_modules()
    data = list(rows(LABELS, []))
    output = output or claim_output(out / LABELS.name / FILE, force=force, ours=written_by_safetrain)
    with replacing(output.path) as tmp:
        _write(pq, tmp, arrow_table(LABELS, data))
    return len(data), output


def archive_owners(out: Path) -> dict[str, str]:
    """archive name -> the credit code whose partition holds it, from the `exports` dataset at `out`."""
    _, pq = pyarrow_modules()
    owners: dict[str, str] = {}
    folder = out / EXPORTS.name
    if not folder.is_dir():
        return owners
    for part in sorted(folder.glob(f"{PARTITION}=?*/{FILE}")):
        if not written_by_safetrain(part):  # not this export's: claimed as any other file, not believed
            continue
        try:
            names = pq.read_table(part, columns=["archive"]).column("archive").to_pylist()
        except Exception:  # pyarrow raises its own errors
            continue
        for name in names:
            owners.setdefault(name, part.parent.name.split("=", 1)[1])
    return owners


def write_parquet(out_dir: str | os.PathLike, archives: Iterable[Keyed], *, force: bool = False,
                  codes: Iterable[str] = ()) -> Written:
    """Export `archives` (keyed.checked gives them) into the dataset folder `out_dir`.

    An existing file is replaced only when it is an earlier output of this
    export, or with `force` (archive/writing/outputs.py); `Written.outputs`
    lists the files claimed. `codes`: the credit codes the archives will have
    (keyed.plan's), whose files are claimed before anything is written, so a
    refusal writes nothing. An archive whose folder name the dataset holds for
    another credit code is not exported (`Written.skipped`), as in PostgreSQL.
    A file that cannot be written stops the run with the one "cannot write"
    error (archive/writing/atomic.py): archives written before stay, the one
    in progress keeps its previous files.
    """
    pyarrow_modules()
    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise SafetrainError(f"{out_dir} 不是目录", f"{out_dir} is not a folder")
    refuse_records(out)
    for t in (LABELS, *DATASETS):  # a file where a dataset's folder goes: said before anything is written
        if os.path.lexists(out / t.name) and not (out / t.name).is_dir():
            raise SafetrainError(f"{out / t.name} 不是目录，无法写入数据集 {t.name}",
                                 f"{out / t.name} is not a folder: the dataset {t.name} cannot be written")
    claimed = {path: claim_output(path, force=force, ours=written_by_safetrain)
               for path in [out / LABELS.name / FILE, *(partition_file(out, t.name, code) for code in dict.fromkeys(codes)
                                                        for t in DATASETS)]}
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise cannot_write(out, exc) from None
    written = Written()
    written.counts[LABELS.name], labels = write_labels(out, force, claimed.get(out / LABELS.name / FILE))
    written.outputs.append(labels)
    owners = archive_owners(out)
    for keyed in archives:
        owner = owners.get(keyed.name)
        if owner is not None and owner != keyed.credit_code:
            written.skipped.append(name_taken(keyed.name, owner))
            continue
        counts, outputs = export_archive(out, keyed, force, claimed)
        owners = {name: code for name, code in owners.items() if code != keyed.credit_code}  # its partition's old name
        owners[keyed.name] = keyed.credit_code
        written.add(counts)
        written.outputs += outputs
    return written
