"""Archives keyed by credit code: the plan, and checking in worker processes
(the workspace runner's) gives what checking here gives, in plan order, and
falls back when it cannot."""

from concurrent.futures.process import BrokenProcessPool

from helpers import AS_OF, credit_code, person

from safetrain.export import keyed


def workspace(make_archive, tmp_path, n=5):
    ws = tmp_path / "ws"
    for i in range(n):
        make_archive({"people/E1.toml": person(f"员工{i}")}, root=ws / f"a{i}", credit_code=credit_code(200 + i))
    return ws


def test_plan_names_keys_and_orders(make_archive, tmp_path):
    ws = workspace(make_archive, tmp_path, 3)
    make_archive({}, root=ws / "0-no-code", credit_code="123")
    planned = keyed.plan([ws / "a2", ws])
    assert [(p.name, p.credit_code) for p in planned] == [
        ("0-no-code", None), ("a0", credit_code(200)), ("a1", credit_code(201)), ("a2", credit_code(202))]
    assert planned[0].message("en").endswith("`enterprise.credit_code` is invalid (must have 18 characters, not 3); "
                                             "it cannot key the export, not exported")
    assert planned[0].message("zh").endswith("不能作为导出的键，未导出")


def test_worker_processes_give_the_same_archives_in_order(make_archive, tmp_path):
    planned = keyed.plan([workspace(make_archive, tmp_path)])
    here = list(keyed.checked(planned, AS_OF, jobs=1))
    assert [k.name for k in here] == ["a0", "a1", "a2", "a3", "a4"]
    assert list(keyed.checked(planned, AS_OF, jobs=2)) == here
    assert here[0].rows["people"][0][:4] == ("a0", "E1", "people/E1.toml", "员工0")
    assert here[0].exports_row(7) == (credit_code(200), "a0", None, "2024-06-30", keyed.__version__, 7)


def test_falls_back_to_this_process_when_the_pool_breaks(make_archive, tmp_path, monkeypatch):
    planned = keyed.plan([workspace(make_archive, tmp_path)])
    here = list(keyed.checked(planned, AS_OF, jobs=1))

    class Broken:
        def __init__(self, *args, **kwargs):
            self.submitted = 0

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def submit(self, fn, *args):
            raise BrokenProcessPool("a worker died")

        def shutdown(self, wait=True, cancel_futures=False):
            pass

    import concurrent.futures

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Broken)  # what the runner starts
    assert list(keyed.checked(planned, AS_OF, jobs=2)) == here


def test_a_writer_that_stops_early_stops_the_workers(make_archive, tmp_path):
    planned = keyed.plan([workspace(make_archive, tmp_path, 8)])
    archives = keyed.checked(planned, AS_OF, jobs=2)
    assert next(archives).name == "a0"
    archives.close()  # returns: the pending checks are cancelled, the pool shut down
