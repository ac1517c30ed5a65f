"""The register (sổ đăng ký văn bản đi): the same suite on SQLite and PostgreSQL."""

from __future__ import annotations

import multiprocessing
from datetime import date

import pytest

from conftest import DATA
from notice_gen import read_record
from notice_gen.record.model import Record
from notice_gen.register import (
    DuplicateNumber,
    Entry,
    RegisterError,
    RegisterSettings,
    Series,
    entry_for,
    open_register,
    series_for,
    source_key,
)

pytest_plugins = ("register_fixtures",)

TB = "thong-bao-ket-luan"
GM = "giay-moi"
VP_2026 = Series("VP", "2026", "*")


def state(day: date | None = date(2026, 2, 3), kind: str = TB, **extra) -> Record:
    record = read_record(DATA / "thong-bao-ket-luan-ubnd-lam-dong.yaml", kind)[0]
    return Record.model_construct(**{**record.__dict__, "date": day, **extra})


def party(day: date = date(2026, 10, 15), kind: str = TB, **extra) -> Record:
    record = read_record(DATA / "thong-bao-ket-luan-dang-uy-phuong.yaml", kind)[0]
    return Record.model_construct(**{**record.__dict__, "date": day, **extra})


def issue(register, series: Series, source: str, kind: str = TB) -> int:
    """What the pipeline does for one written document with `number: auto`."""
    number = register.reserve(series, source, kind)
    symbol = f"{number:02d}/TB-{series.issuer}"
    register.confirm(Entry(series, number, symbol, kind=kind, source=source, subject=source))
    return number


def allocate(location: str, worker: int, count: int) -> list[int]:
    with open_register(location) as register:
        return [issue(register, VP_2026, f"lo-{worker}.csv#row={i}") for i in range(count)]


def test_processes_sharing_a_register_get_every_number_once(location):
    open_register(location).close()  # the schema, as the first clerk creates it
    workers, each = 4, 25
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.starmap(allocate, [(location, w, each) for w in range(workers)])
    numbers = sorted(n for result in results for n in result)
    assert numbers == list(range(1, workers * each + 1))
    with open_register(location) as register:
        listed = [(e.number, e.status) for e in register.entries(2026)]
        assert listed == [(n, "issued") for n in range(1, workers * each + 1)]
        sources = {e.source for e in register.entries(2026)}
        assert len(sources) == workers * each


def test_a_rerun_of_the_same_document_keeps_its_number(location):
    with open_register(location) as register:
        assert register.number_for("a.yaml", TB) is None
        assert issue(register, VP_2026, "a.yaml") == 1
        assert issue(register, VP_2026, "b.yaml") == 2
        assert register.reserve(VP_2026, "a.yaml", TB) == 1
        assert register.number_for("a.yaml", TB) == 1
        assert register.number_for("a.yaml", GM) is None
        assert issue(register, VP_2026, "a.yaml", GM) == 3  # its invitation: another document
        assert issue(register, VP_2026, "c.yaml") == 4


def test_state_numbers_restart_at_01_on_the_first_of_january(location):
    single = RegisterSettings(series="single")
    december = series_for(state(date(2025, 12, 31)), single)
    january = series_for(state(date(2026, 1, 1)), single)
    assert (december.scope, january.scope) == ("2025", "2026")
    with open_register(location) as register:
        assert [issue(register, december, f"d{i}.yaml") for i in range(3)] == [1, 2, 3]
        assert issue(register, january, "j.yaml") == 1
        assert issue(register, december, "late.yaml") == 4
        assert [e.number for e in register.entries(2026)] == [1]
        assert [e.number for e in register.entries(2025)] == [1, 2, 3, 4]


def test_state_year_comes_from_the_date_then_year_then_today():
    no_date = state(None, year=2027)
    assert series_for(no_date).scope == "2027"
    assert series_for(state(None, year=None), today=date(2031, 5, 1)).scope == "2031"


def test_party_numbers_run_per_kind_through_a_term_and_restart_with_the_next(location):
    term = RegisterSettings(term="2025-2030")
    december = series_for(party(date(2026, 12, 31)), term)
    january = series_for(party(date(2027, 1, 1)), term)
    invitation = series_for(party(date(2027, 1, 2), GM), term)
    assert december == january == Series("ĐU", "2025-2030", TB)
    assert invitation == Series("ĐU", "2025-2030", GM)
    next_term = series_for(party(date(2030, 11, 1)), RegisterSettings(term="2030-2035"))
    with open_register(location) as register:
        assert issue(register, december, "d.yaml") == 1
        assert issue(register, january, "j.yaml") == 2  # not reset by the year
        assert issue(register, invitation, "j.yaml", GM) == 1  # its own kind's series
        assert issue(register, next_term, "n.yaml") == 1


def test_party_rules_refuse_what_they_do_not_allow():
    with pytest.raises(RegisterError, match=r"add register.term \(e.g. 2025-2030\)"):
        series_for(party())
    with pytest.raises(RegisterError, match=r"register.term 2020-2025 does not hold a document"):
        series_for(party(date(2026, 10, 15)), RegisterSettings(term="2020-2025"))
    with pytest.raises(RegisterError, match="the first year must come before the last"):
        series_for(party(), RegisterSettings.model_construct(term="2030-2025"))
    with pytest.raises(RegisterError, match="single is not allowed, Party numbers run per kind"):
        series_for(party(), RegisterSettings(term="2025-2030", series="single"))
    with pytest.raises(RegisterError, match="secret documents share the series of their kind"):
        series_for(party(), RegisterSettings(term="2025-2030", secret=True))
    secret = series_for(party(secret=True), RegisterSettings(term="2025-2030"))
    assert secret == Series("ĐU", "2025-2030", TB, secret=False)


def test_state_single_series_or_one_per_kind(location):
    single = RegisterSettings(series="single")
    per_kind = RegisterSettings(series="per-kind")
    assert series_for(state(kind=GM), single) == series_for(state(), single) == VP_2026
    assert series_for(state(), per_kind) == Series("VP", "2026", TB)
    assert series_for(state(kind=GM), per_kind) == Series("VP", "2026", GM)
    assert series_for(state()) == VP_2026  # ND 30's default: one series
    with open_register(location) as register:
        assert issue(register, series_for(state(), single), "a.yaml") == 1
        assert issue(register, series_for(state(kind=GM), single), "a.yaml", GM) == 2
        assert issue(register, series_for(state(), per_kind), "b.yaml") == 1
        assert issue(register, series_for(state(kind=GM), per_kind), "b.yaml", GM) == 1


def test_state_secret_and_advisory_documents_keep_series_of_their_own(location):
    secret = series_for(state(secret=True))
    council = series_for(state(), RegisterSettings(body="Hội đồng thi đua"))
    merged = series_for(state(secret=True), RegisterSettings(secret=False))
    assert secret == Series("VP", "2026", "*", secret=True)
    assert council == Series("VP", "2026", "*", body="Hội đồng thi đua")
    assert merged == VP_2026
    with open_register(location) as register:
        assert issue(register, VP_2026, "a.yaml") == 1
        assert issue(register, secret, "mat.yaml") == 1
        assert issue(register, council, "hd.yaml") == 1
        assert issue(register, VP_2026, "b.yaml") == 2


def test_a_hand_typed_number_taken_by_another_document_names_both(location):
    with open_register(location) as register:
        register.claim(Entry(VP_2026, 5, "05/TB-VP", kind=TB, source="ke-hoach.yaml"))
        register.claim(Entry(VP_2026, 5, "05/TB-VP", kind=TB, source="ke-hoach.yaml"))  # re-run
        with pytest.raises(DuplicateNumber) as caught:
            register.claim(Entry(VP_2026, 5, "05/TB-VP", kind=TB, source="ket-luan.yaml"))
        assert str(caught.value) == (
            "number 05 of series VP 2026 is already registered for 05/TB-VP (ke-hoach.yaml); "
            "05/TB-VP (ket-luan.yaml) cannot take it too: use number: auto or another number"
        )
        other_series = Series("VP", "2027", "*")
        register.claim(Entry(other_series, 5, "05/TB-VP", kind=TB, source="ket-luan.yaml"))
        numbers = [issue(register, VP_2026, f"auto{i}.yaml") for i in range(5)]
        assert numbers == [1, 2, 3, 4, 6]  # the hand-typed 05 is skipped, not given twice


def test_an_auto_number_is_a_duplicate_for_a_hand_typed_one(location):
    with open_register(location) as register:
        assert issue(register, VP_2026, "a.yaml") == 1
        with pytest.raises(DuplicateNumber, match=r"registered for 01/TB-VP \(a.yaml\)"):
            register.claim(Entry(VP_2026, 1, "01/TB-VP", kind=TB, source="b.yaml"))


def test_a_cancelled_number_is_never_given_again(location):
    with open_register(location) as register:
        assert [issue(register, VP_2026, f"{i}.yaml") for i in range(3)] == [1, 2, 3]
        register.void(VP_2026, 3, "ký nhầm")
        register.void(VP_2026, 4, "số đã cấp bằng tay trong sổ giấy")
        assert issue(register, VP_2026, "next.yaml") == 5
        assert register.number_for("2.yaml", TB) is None  # its 03 was cancelled
        with pytest.raises(RegisterError, match=r"was cancelled \(ký nhầm\) and is never given"):
            register.claim(Entry(VP_2026, 3, kind=TB, source="3-again.yaml"))
        with pytest.raises(RegisterError, match="already cancelled: ký nhầm"):
            register.void(VP_2026, 3, "lần nữa")
        with pytest.raises(RegisterError, match="say why"):
            register.void(VP_2026, 6, " ")
        void = [(e.number, e.void_reason) for e in register.entries() if e.status == "void"]
        assert void == [(3, "ký nhầm"), (4, "số đã cấp bằng tay trong sổ giấy")]
        assert issue(register, VP_2026, "2.yaml") == 6  # a new number, never 03 again
        assert issue(register, VP_2026, "1.yaml") == 2  # an issued one keeps its own


def test_release_frees_the_last_number_and_cancels_a_middle_one(location):
    with open_register(location) as register:
        first = register.reserve(VP_2026, "a.yaml", TB)
        second = register.reserve(VP_2026, "b.yaml", TB)
        register.release(VP_2026, second, "render failed")
        assert register.reserve(VP_2026, "c.yaml", TB) == 2  # freed: nothing later was taken
        register.release(VP_2026, first, "render failed")  # 02 was taken since: cancelled
        assert register.number_for("a.yaml", TB) is None
        assert register.reserve(VP_2026, "a.yaml", TB) == 3
        rows = [(e.number, e.status, e.void_reason) for e in register.entries()]
        assert rows == [(1, "void", "render failed"), (2, "reserved", ""), (3, "reserved", "")]


def test_release_leaves_an_issued_number_alone(location):
    with open_register(location) as register:
        issue(register, VP_2026, "a.yaml")
        again = register.reserve(VP_2026, "a.yaml", TB)  # a re-run whose render fails
        register.release(VP_2026, again, "render failed")
        assert [(e.number, e.status) for e in register.entries()] == [(1, "issued")]
        register.claim(Entry(VP_2026, 9, kind=TB, source="tay.yaml", status="reserved"))
        register.release(VP_2026, 9, "render failed")  # a hand-typed number just goes
        assert register.number_for("tay.yaml", TB) is None
        assert issue(register, VP_2026, "b.yaml") == 2


def test_a_document_moved_to_another_series_must_cancel_its_number_first(location):
    with open_register(location) as register:
        issue(register, VP_2026, "a.yaml")
        with pytest.raises(RegisterError, match=r"already has number 01 of series VP 2026"):
            register.reserve(Series("VP", "2027", "*"), "a.yaml", TB)


def test_confirm_refuses_a_number_never_reserved(location):
    with open_register(location) as register, pytest.raises(RegisterError, match=r"for a\.yaml"):
        register.confirm(Entry(VP_2026, 7, kind=TB, source="a.yaml"))


def test_entries_by_year_and_kind_with_the_book_columns(location):
    with open_register(location) as register:
        number = register.reserve(VP_2026, "a.yaml", TB)
        entry = Entry(VP_2026, number, "01/TB-VP", date(2026, 2, 3), TB, "Kết luận của Chủ tịch",
                      "Trần Văn Bình", "Sở Xây dựng; Sở Tài chính", "VT, TH", 5, "",
                      "a.yaml")  # fmt: skip
        register.confirm(entry)
        issue(register, VP_2026, "b.yaml", GM)
        assert register.entries(2026, TB) == [entry]
        assert [e.kind for e in register.entries(2026, GM)] == [GM]
        assert register.entries(2025) == []
        assert register.series() == [VP_2026]


def test_the_default_register_is_a_file_in_the_working_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NOTICE_GEN_REGISTER", raising=False)
    with open_register() as register:
        issue(register, VP_2026, "a.yaml")
    assert (tmp_path / "so-van-ban-di.sqlite").is_file()
    monkeypatch.setenv("NOTICE_GEN_REGISTER", f"sqlite:///{tmp_path / 'khac.sqlite'}")
    with open_register() as register:
        assert register.entries() == []
    assert (tmp_path / "khac.sqlite").is_file()


def test_a_register_that_cannot_be_opened_says_why(tmp_path):
    with pytest.raises(RegisterError, match=r"the folder .*khong-co does not exist"):
        open_register(tmp_path / "khong-co" / "so.sqlite")
    garbage = tmp_path / "hong.sqlite"
    garbage.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RegisterError, match=r"hong.sqlite cannot be used: file is not a database"):
        open_register(garbage)
    url = "postgresql://clerk:secret@127.0.0.1:1/so"
    with pytest.raises(RegisterError, match=r"postgresql://clerk:\*\*\*@127.0.0.1:1/so cannot"):
        open_register(url)


def test_backup_copies_a_sqlite_register_and_leaves_postgresql_to_pg_dump(location, tmp_path):
    target = tmp_path / "sao-luu.sqlite"
    with open_register(location) as register:
        issue(register, VP_2026, "a.yaml")
        if location.startswith("postgresql://"):
            with pytest.raises(RegisterError, match="back it up with PostgreSQL's own tool"):
                register.backup(target)
            assert not target.exists()
            return
        register.backup(target)
    with open_register(target) as copy:
        assert [(e.number, e.source) for e in copy.entries()] == [(1, "a.yaml")]


def test_the_pipeline_takes_a_number_only_for_a_document_written(location, tmp_path):
    record = state()
    series = series_for(record)
    source = source_key(tmp_path / "data" / "tb.yaml", base=tmp_path)
    with open_register(location) as register:
        with pytest.raises(OSError), register.issuing(series, "hong.yaml", TB):
            raise OSError("disk full")  # rendering failed: the number goes back
        with register.issuing(series, source, TB) as number:
            register.confirm(entry_for(record, series, number, source=source, symbol="01/TB-VP"))
        [entry] = register.entries(2026)
    assert (entry.number, entry.source, entry.status) == (1, "data/tb.yaml", "issued")
    assert entry.subject.startswith("Kết luận của Chủ tịch Ủy ban nhân dân tỉnh")
    assert (entry.signer, entry.archive) == ("Nguyễn Thị Hoa", "VT, KT")
    assert entry.recipients == (
        "Chủ tịch, các Phó Chủ tịch UBND tỉnh; Các sở Xây dựng, Tài chính, Nông nghiệp và Môi "
        "trường; UBND các xã có dự án đi qua"
    )


def test_source_keys_name_the_file_and_the_row_or_record(tmp_path):
    assert source_key(tmp_path / "lich.xlsx", row=12, base=tmp_path) == "lich.xlsx#row=12"
    assert source_key(tmp_path / "a" / "hop.yaml", record=3, base=tmp_path) == "a/hop.yaml#record=3"
    outside = source_key(tmp_path / "x.csv", base=tmp_path / "khac")
    assert outside == f"{tmp_path.as_posix()}/x.csv"


def test_settling_one_run_while_another_takes_numbers_never_deadlocks(location):
    import threading

    from notice_gen.register.model import Request

    # `take` locks the giay-moi series first; this settle confirms in the other one and
    # releases in it: unless all its locks come first, each may wait for the other
    one, other = Series("VP", "2026", TB), Series("VP", "2026", GM)
    failures: list[str] = []

    def settle(start: threading.Barrier, written: Entry, given: int) -> None:
        with open_register(location) as book:
            start.wait()
            book.settle([written], [(other, given)], "document not written")

    def take(start: threading.Barrier, turn: int) -> None:
        with open_register(location) as book:
            start.wait()
            try:
                book.take([Request(one, f"c{turn}", TB), Request(other, f"d{turn}", GM)])
            except RegisterError as exc:
                failures.append(str(exc))

    for turn in range(12):
        with open_register(location) as book:
            a, b = book.take([Request(one, f"a{turn}", TB), Request(other, f"b{turn}", GM)])
        assert isinstance(a, int) and isinstance(b, int)
        written = Entry(one, a, kind=TB, source=f"a{turn}", subject="written")
        start = threading.Barrier(2)
        threads = [
            threading.Thread(target=settle, args=(start, written, b)),
            threading.Thread(target=take, args=(start, turn)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert failures == []


def test_numbering_a_batch_reads_the_book_by_its_indexes(tmp_path):
    """A year's book holds thousands of rows: taking, confirming and looking up numbers
    searches an index, never reads every row."""
    from notice_gen.register.model import Request

    with open_register(tmp_path / "so.sqlite") as register:
        sources = [f"hop.csv#row={n}" for n in range(1, 41)]
        for source in sources[:20]:
            issue(register, VP_2026, source)
        connection = register.backend.connection
        statements: list[str] = []
        connection.set_trace_callback(statements.append)
        taken = register.take([Request(VP_2026, s, TB) for s in sources])
        assert taken == list(range(1, 41))
        pairs = zip(taken[20:39], sources[20:39], strict=True)
        written = [Entry(VP_2026, n, source=s, kind=TB) for n, s in pairs]
        register.settle(written, [(VP_2026, 40)], "document not written")
        assert register.number_for(sources[3], TB) == 4
        connection.set_trace_callback(None)
        reads = [s for s in statements if s.lstrip().startswith("SELECT") and "numbers" in s]
        assert len(reads) >= 3
        for statement in reads:
            plan = connection.execute(f"EXPLAIN QUERY PLAN {statement}").fetchall()
            assert not [p for p in plan if p[3].startswith("SCAN numbers")], statement


def test_numbers_typed_by_hand_are_claimed_reading_only_their_rows(tmp_path):
    """An office that types its numbers keeps a year's book of them: claiming the next
    chunk reads the rows of those numbers, not every row past the series' last auto
    number (which stays 0), so a batch does not slow down as the book grows."""
    from notice_gen.register.model import Request

    def typed(n: int) -> Request:
        entry = Entry(VP_2026, n, kind=TB, source=f"tay-{n}.yaml", status="reserved")
        return Request(VP_2026, f"tay-{n}.yaml", TB, entry)

    with open_register(tmp_path / "so.sqlite") as register:
        assert register.take([typed(n) for n in range(1, 401)]) == list(range(1, 401))
        backend, rows_read = register.backend, []
        query = backend.query

        def counted(sql, params=()):
            rows = query(sql, params)
            if "FROM numbers" in sql:
                rows_read.append(len(rows))
            return rows

        backend.query = counted
        assert register.take([typed(n) for n in range(401, 411)]) == list(range(401, 411))
        assert rows_read and sum(rows_read) == 0  # new numbers, and no source holds one yet
        assert register.take([Request(VP_2026, "tu-dong.yaml", TB)]) == [411]  # past them
