"""The Python module against the CLI: the same rows on generated and genuine
files, errors as exceptions with their file and line, progress, Ctrl-C, and
the GIL released while counting. Run by ctest (tests/CMakeLists.txt), which
sets NGFREQ (the CLI), NGFREQ_SHARED_DIR and PYTHONPATH (the module)."""
import functools
import glob
import os
import signal
import subprocess
import sys
import threading
import time

import pytest

import ngfreq

CLI = os.environ["NGFREQ"]
SHARED = os.environ.get("NGFREQ_SHARED_DIR", "")


def cli_rows(args, by_year=False):
    """The CLI's rows for `args` (with --volumes), as tuples of bytes and ints."""
    out = subprocess.run([CLI, "count", "--volumes", "--progress", "none", "-o", "-", *args],
                         check=True, capture_output=True).stdout
    rows = []
    for line in out.splitlines():
        fields = line.split(b"\t")
        rows.append((fields[0], *map(int, fields[1:])))
    return rows


def module_rows(table):
    """A DataFrame (or dict) of the module as the same tuples."""
    columns = table if isinstance(table, dict) else {c: list(table[c]) for c in table.columns}
    names = [c for c in ("year", "total", "volumes") if c in columns]
    keys = [s.encode("utf-8", "surrogateescape") for s in columns["ngram"]]
    return [(k, *(int(columns[c][i]) for c in names)) for i, k in enumerate(keys)]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A generated v2 file, with a key that is not UTF-8 and one with a tag."""
    path = tmp_path_factory.mktemp("corpus") / "gen.v2"
    subprocess.run([CLI, "generate", "--size", "3M", "-o", str(path)], check=True, capture_output=True)
    with open(path, "ab") as f:
        f.write(b"caf\xe9\t1999\t5\t1\nQuokkax_NOUN\t1850\t7\t2\nQuokkax\t1850\t9\t3\nquokkax\t1990\t4\t4\n")
    return str(path)


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    """A file that takes a second or more to count --by-year on one job."""
    path = tmp_path_factory.mktemp("big") / "big.v2"
    subprocess.run([CLI, "generate", "--size", "150M", "-o", str(path)], check=True, capture_output=True)
    return str(path)


@pytest.mark.parametrize("options, kwargs", [
    ([], {}),
    (["--by-year"], {"by_year": True}),
    (["--since", "1900", "--until", "1950"], {"since": 1900, "until": 1950}),
    (["--ignore-case"], {"ignore_case": True}),
    (["--tags", "drop"], {"tags": "drop"}),
    (["--min-count", "500"], {"min_count": 500}),
])
def test_count_gives_the_rows_of_the_cli(corpus, options, kwargs):
    want = cli_rows(options + [corpus])
    assert len(want) > 100
    assert module_rows(ngfreq.count([corpus], **kwargs)) == want


def cli_stdout_rows(args):
    """The rows the CLI prints on stdout (-t, -w) with --volumes, as cli_rows."""
    out = subprocess.run([CLI, "count", "--volumes", "--progress", "none", *args],
                         check=True, capture_output=True).stdout
    return [(f[0], *map(int, f[1:])) for f in (line.split(b"\t") for line in out.splitlines())]


@pytest.mark.parametrize("options, kwargs", [
    ([], {}),
    (["--by-year"], {"by_year": True}),
    (["--ignore-case", "--min-count", "300"], {"ignore_case": True, "min_count": 300}),
])
def test_top_gives_the_largest_totals_of_the_cli(corpus, options, kwargs):
    want = cli_stdout_rows(["-t", "25"] + options + [corpus])
    assert len(want) == 25
    assert module_rows(ngfreq.count([corpus], top=25, **kwargs)) == want


def test_the_stats_count_what_was_read_and_counted(corpus):
    table = ngfreq.count([corpus], by_year=True)
    stats = table.attrs["stats"]
    with open(corpus, "rb") as f:
        data = f.read()
    assert stats["lines"] == data.count(b"\n")
    assert stats["input_bytes"] == stats["file_bytes"] == len(data)
    assert stats["distinct"] == len(table)
    assert stats["matches"] == int(table["total"].sum())
    assert stats["skipped_lines"] == 0 and stats["spilled_bytes"] == 0
    assert stats["partitions"] >= 1 and stats["jobs"] >= 1
    assert 0 < stats["map_seconds"] <= stats["seconds"]
    assert ngfreq.count([corpus], top=3).attrs["stats"]["distinct"] == len(ngfreq.count([corpus]))


def test_a_memory_limit_spills_to_disk_and_gives_the_same_rows(corpus):
    table = ngfreq.count([corpus], by_year=True, memory_limit=1, jobs=2)
    assert table.attrs["stats"]["spilled_bytes"] > 0
    assert module_rows(table) == cli_rows(["--by-year", corpus])
    assert ngfreq.count([corpus], memory_limit="64M").attrs["stats"]["spilled_bytes"] == 0
    with pytest.raises(ValueError, match="memory_limit: 'lots' is not a size"):
        ngfreq.count([corpus], memory_limit="lots")


def test_skipped_lines_are_counted_and_warned_about(tmp_path):
    bad = tmp_path / "bad.v2"
    bad.write_bytes(b"a\t2000\t1\t1\nb\t2000\t1\t1\nc\t2000\tmany\t1\nb\t2001\t2\t1\n")
    with pytest.warns(UserWarning, match=f"skipped 1 malformed line\\(s\\), the first: {bad}:3: match_count"):
        table = ngfreq.count([str(bad)], on_error="skip")
    assert module_rows(table) == [(b"a", 1, 1), (b"b", 3, 2)]
    assert table.attrs["stats"]["skipped_lines"] == 1
    assert table.attrs["stats"]["first_skipped"] == [f"{bad}:3: match_count 'many' is not a non-negative integer"]
    with pytest.raises(ValueError, match="on_error"):
        ngfreq.count([str(bad)], on_error="ignore")


def test_a_path_that_is_not_utf8_comes_back_in_errors_and_warnings(tmp_path):
    bad = os.path.join(os.fsencode(tmp_path), b"caf\xe9.v2")
    with open(bad, "wb") as f:
        f.write(b"a\t2000\t1\t1\nb\t2000\tmany\t1\n")
    name = os.fsdecode(bad)
    with pytest.warns(UserWarning, match="skipped 1 malformed line"):
        table = ngfreq.count([bad], on_error="skip")
    assert table.attrs["stats"]["first_skipped"] == [f"{name}:2: match_count 'many' is not a non-negative integer"]
    with pytest.raises(ngfreq.InputError) as e:
        ngfreq.count([bad])
    assert (e.value.path, e.value.line) == (name, 2)
    with pytest.raises(ngfreq.Error, match="cannot open"):
        ngfreq.count([bad + b".missing"])


def test_memory_limit_takes_bytes_or_a_size_and_nothing_else(corpus):
    for wrong in (True, 1.5e9, [1]):
        with pytest.raises(TypeError, match="memory_limit must be a number of bytes"):
            ngfreq.count([corpus], memory_limit=wrong)
    with pytest.raises(ValueError, match="memory_limit must be positive"):
        ngfreq.count([corpus], memory_limit=-1)


def test_ngrams_of_text_are_those_of_the_cli(tmp_path):
    text = tmp_path / "t.txt"
    subprocess.run([CLI, "generate", "-f", "text", "--size", "1M", "-o", str(text)], check=True,
                   capture_output=True)
    want = cli_rows(["--ngram", "3", str(text)])
    assert len(want) > 10000
    assert module_rows(ngfreq.count([str(text)], ngram=3)) == want
    assert module_rows(ngfreq.count([str(text)], ngram=2, top=10)) == cli_stdout_rows(
        ["--ngram", "2", "-t", "10", str(text)])
    with pytest.raises(ValueError, match="ngram must be 1 to 100"):
        ngfreq.count([str(text)], ngram=0)


def test_the_rows_of_genuine_files_are_those_of_the_cli():
    files = sorted(glob.glob(os.path.join(SHARED, "datasets/real/v2/*/*.tsv")))
    if not files:
        pytest.skip("no genuine excerpts in ../shared/datasets/real")
    assert module_rows(ngfreq.count(files, jobs=2)) == cli_rows(files)
    assert module_rows(ngfreq.count(files, by_year=True)) == cli_rows(["--by-year"] + files)


def test_lookup_gives_the_words_in_their_order_and_0_for_an_absent_one(corpus):
    words = ["quokkax", "Quokkax", "not-in-the-file"]
    rows = module_rows(ngfreq.lookup([corpus], words))
    assert [r[0].decode() for r in rows] == words
    assert rows[1][1:] == (9, 3) and rows[2][1:] == (0, 0)
    by_year = module_rows(ngfreq.lookup([corpus], [b"Quokkax"], by_year=True))
    assert by_year == [(b"Quokkax", 1850, 9, 3)]
    assert module_rows(ngfreq.lookup([corpus], ["quokkax"], ignore_case=True))[0][1:] == (13, 7)  # the _NOUN entry stays apart


def test_bytes_that_are_not_utf8_come_back_through_surrogateescape(corpus):
    for word in ["caf\udce9", b"caf\xe9"]:
        rows = module_rows(ngfreq.lookup([corpus], [word]))
        assert rows == [(b"caf\xe9", 5, 1)]


def test_a_malformed_line_raises_input_error_with_its_file_and_line(tmp_path):
    bad = tmp_path / "bad.v2"
    bad.write_bytes(b"a\t2000\t1\t1\nb\t2000\t1\t1\nc\t2000\tmany\t1\n")
    with pytest.raises(ngfreq.InputError) as e:
        ngfreq.count([str(bad)])
    assert (e.value.path, e.value.line) == (str(bad), 3)
    assert "match_count 'many'" in e.value.reason
    assert str(e.value) == f"{bad}:3: match_count 'many' is not a non-negative integer"
    assert isinstance(e.value, ngfreq.Error)


def test_other_failures_raise_error_and_bad_arguments_value_error(tmp_path):
    with pytest.raises(ngfreq.Error, match="cannot open"):
        ngfreq.count([str(tmp_path / "missing.v2")])
    with pytest.raises(ValueError, match="tags"):
        ngfreq.count([str(tmp_path)], tags="some")
    with pytest.raises(ValueError, match="since"):
        ngfreq.count([str(tmp_path)], since=2000, until=1900)


def test_without_pandas_the_columns_come_as_a_dict(corpus):
    code = ("import sys; sys.modules['pandas'] = None; import ngfreq; "
            f"t = ngfreq.count([{corpus!r}], by_year=True); "
            "print(type(t).__name__, sorted(t), len(t['ngram']))")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert out.split()[:5] == ["dict", "['ngram',", "'total',", "'volumes',", "'year']"]
    assert int(out.split()[5]) == len(cli_rows(["--by-year", corpus]))


def test_progress_is_reported_up_to_every_partition(big):
    seen = []
    ngfreq.count([big], jobs=1, by_year=True, progress=lambda done, total: seen.append((done, total)))
    assert len(seen) >= 2
    assert all(a[0] <= b[0] for a, b in zip(seen, seen[1:]))
    assert seen[-1][0] == seen[-1][1] > 1


def test_an_exception_in_the_progress_callback_cancels_the_count(big):
    calls = []

    def stop(done, total):
        calls.append(done)
        raise RuntimeError("enough")

    with pytest.raises(RuntimeError, match="enough"):
        ngfreq.count([big], jobs=1, by_year=True, progress=stop)
    assert len(calls) == 1


def test_ctrl_c_stops_the_count_with_keyboard_interrupt(big):
    # Progress is recorded by a C function (no bytecode), so nothing but the
    # module's own check of signals can see the SIGINT while it counts. A
    # count that is stopped has not done every partition.
    code = ("import functools, ngfreq\n"
            "state = {}\n"
            "print('ready', flush=True)\n"
            "try:\n"
            f"    ngfreq.count([{big!r}] * 4, jobs=1, by_year=True, progress=functools.partial(dict.__setitem__, state))\n"
            "    print('finished')\n"
            "finally:\n"
            "    print('progress', max(state, default=-1), max(state.values(), default=-1), flush=True)\n")
    child = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    assert child.stdout.readline() == "ready\n"
    time.sleep(0.5)  # into the count, which takes seconds (the file four times over: a map got fast enough
    # to end within half a second of one)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert "KeyboardInterrupt" in err
    assert "finished" not in out
    done, total = map(int, out.split("progress")[1].split())
    assert 0 <= done < total
    assert child.returncode != 0


def test_other_threads_run_python_while_a_count_runs(corpus, big):
    # The long count records its progress with a C function (no bytecode,
    # so it never lets go of the GIL itself). Another thread, once the count
    # has begun, runs a count of its own: it can finish while the long one
    # still runs only if that one released the GIL.
    progress = {}
    seen_when_small_ended = []

    def small_count():
        while not progress:
            time.sleep(0.001)
        ngfreq.count([corpus])
        seen_when_small_ended.append(dict(progress))

    small = threading.Thread(target=small_count)
    small.start()
    ngfreq.count([big] * 4, jobs=1, by_year=True, progress=functools.partial(dict.__setitem__, progress))
    small.join()
    done = max(seen_when_small_ended[0])
    assert done < max(progress) and progress[max(progress)] == max(progress)


def cli_series(args):
    """The CLI's series table (TSV): the header, then every value, row by row."""
    out = subprocess.run([CLI, "series", "--progress", "none", *args], check=True, capture_output=True,
                         text=True).stdout.splitlines()
    return out[0].split("\t"), [float(v) for line in out[1:] for v in line.split("\t")]


def module_series(table):
    columns = table if isinstance(table, dict) else {c: list(table[c]) for c in table.columns}
    names = list(columns)
    return names, [float(columns[n][i]) for i in range(len(columns["year"])) for n in names]


@pytest.mark.parametrize("options, kwargs", [
    ([], {}),
    (["--value", "volumes", "--smoothing", "3"], {"value": "volumes", "smoothing": 3}),
    (["--since", "1950", "--until", "2000", "--ignore-case"], {"since": 1950, "until": 2000, "ignore_case": True}),
])
def test_series_gives_the_table_of_the_cli(corpus, options, kwargs):
    queries = ["Quokkax", "quokkax|Quokkax_NOUN", "A*", "Zzzqqq*"]
    args = [a for q in queries for a in ("-w", q)] + ["--expand", "3"] + options + [corpus]
    header, rows = cli_series(args)
    with pytest.warns(UserWarning, match="Zzzqqq"):
        table = ngfreq.series([corpus], queries, expand=3, **kwargs)
    got_header, got_rows = module_series(table)
    assert got_header == header and len(header) == 1 + 2 + 3 + 1
    assert got_rows == pytest.approx(rows, rel=1e-5)  # values read back from the CLI's text


def test_series_relative_to_google_total_counts_is_that_of_the_cli():
    totals = os.path.join(SHARED, "datasets/real/v2/totalcounts/googlebooks-eng-all-totalcounts-20120701.one-per-line.csv")
    files = sorted(glob.glob(os.path.join(SHARED, "datasets/real/v2/*/*.tsv")))
    if not files or not os.path.exists(totals):
        pytest.skip("no genuine excerpts in ../shared/datasets/real")
    header, rows = cli_series(["-w", "kill switch", "--totals", totals, "--per", "million"] + files)
    got_header, got_rows = module_series(ngfreq.series(files, ["kill switch"], totals=totals, per="million"))
    assert got_header == header and rows[0] == 2008 and rows[1] > 0  # the excerpt is of 2008
    assert got_rows == pytest.approx(rows, rel=1e-5)
    with pytest.raises(ValueError, match="total-counts"):
        ngfreq.series(files, ["kill switch"], value="relative")
