# SPDX-License-Identifier: MIT
"""BloomFilter key encoding: every insertion path against every query path, for every Python
form of a key (int, bool, NumPy integer and bool scalars of every width, 0-d arrays, array
elements, object arrays; str, numpy.str_, bytes, bytearray, memoryview, numpy.bytes_, buffers).
A Bloom filter may answer True for a key never inserted, never False for one that was."""
import array

import numpy as np
import pytest

import vecta

INT_DTYPES = [np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64]

# ---- forms of one key -------------------------------------------------------------------------

INT_FORMS = {"int": int, "0-d array": lambda v: np.array(v, np.uint64)}
for _dt in INT_DTYPES:
    INT_FORMS[np.dtype(_dt).name] = _dt
    INT_FORMS[np.dtype(_dt).name + " element"] = lambda v, dt=_dt: np.array([v], dt)[0]
    INT_FORMS[np.dtype(_dt).name + " 0-d"] = lambda v, dt=_dt: np.array(v, dt)

TEXT_FORMS = {
    "str": lambda t: t,
    "numpy.str_": np.str_,
    "bytes": lambda t: t.encode(),
    "bytearray": lambda t: bytearray(t.encode()),
    "memoryview": lambda t: memoryview(t.encode()),
    "numpy.bytes_": lambda t: np.bytes_(t.encode()),
    "array.array": lambda t: array.array("B", t.encode()),
    "uint8 memoryview": lambda t: memoryview(np.frombuffer(t.encode(), np.uint8)),
}

# ---- paths ------------------------------------------------------------------------------------


def insert_paths(forms, array_dtypes):
    """(name, insert(filter, values)) for every path and form (and every array dtype)."""
    out = []
    for fname, form in forms.items():
        out += [
            (f"add({fname})", lambda f, vs, form=form: [f.add(form(v)) for v in vs]),
            (f"insert({fname})", lambda f, vs, form=form: [f.insert(form(v)) for v in vs]),
            (f"insert_many(list of {fname})", lambda f, vs, form=form: f.insert_many([form(v) for v in vs])),
            (f"insert_many(generator of {fname})", lambda f, vs, form=form: f.insert_many(form(v) for v in vs)),
            (f"insert_many(object array of {fname})", lambda f, vs, form=form: f.insert_many(object_array(form, vs))),
        ]
    for dt in array_dtypes:
        name = np.dtype(dt).name
        out.append((f"insert_many({name} array)", lambda f, vs, dt=dt: f.insert_many(np.array(vs, dt))))
        out.append((f"insert_many({name} 2-D array)", lambda f, vs, dt=dt: f.insert_many(np.array(vs, dt).reshape(-1, 1))))
    return out


def query_paths(forms, array_dtypes):
    """(name, query(filter, values) -> list of bool) for every path and form."""
    out = []
    for fname, form in forms.items():
        out += [
            (f"contains({fname})", lambda f, vs, form=form: [f.contains(form(v)) for v in vs]),
            (f"{fname} in f", lambda f, vs, form=form: [form(v) in f for v in vs]),
            (f"contains_many(list of {fname})", lambda f, vs, form=form: list(f.contains_many([form(v) for v in vs]))),
            (
                f"contains_many(object array of {fname})",
                lambda f, vs, form=form: list(f.contains_many(object_array(form, vs))),
            ),
        ]
    for dt in array_dtypes:
        name = np.dtype(dt).name
        out.append((f"contains_many({name} array)", lambda f, vs, dt=dt: list(f.contains_many(np.array(vs, dt)))))
    return out


def object_array(form, vs):
    a = np.empty(len(vs), dtype=object)
    for i, v in enumerate(vs):
        a[i] = form(v)
    return a


# ---- every insertion path x every query path --------------------------------------------------

SMALL_INTS = [0, 1, 2, 7, 100, 127]  # fit every integer dtype


@pytest.mark.parametrize("ins_name,ins", insert_paths(INT_FORMS, INT_DTYPES + [np.bool_]), ids=lambda x: str(x))
def test_integer_keys_every_insert_path_found_by_every_query_path(ins_name, ins):
    values = [0, 1] if "bool" in ins_name else SMALL_INTS
    f = vecta.BloomFilter(bits=1 << 16, hashes=4)
    ins(f, values)
    for q_name, q in query_paths(INT_FORMS, INT_DTYPES + [np.bool_]):
        assert all(q(f, values)), f"inserted by {ins_name}, missed by {q_name}"
    # The filter is not trivially True: absent integers are (almost all) absent.
    absent = np.arange(1000, 3000, dtype=np.uint64)
    assert f.contains_many(absent).mean() < 0.01


def test_bool_forms_are_the_integers_0_and_1():
    f = vecta.BloomFilter(bits=1 << 16, hashes=4)
    f.add(True)
    f.add(np.False_)
    assert 1 in f and 0 in f and np.uint8(1) in f
    assert f.contains_many(np.array([True, False])).all()
    assert f.contains_many(np.array([1, 0], np.int16)).all()


LARGE = [2**63, 2**64 - 1, 2**63 + 12345, 2**40 + 3]


@pytest.mark.parametrize(
    "ins_name,ins", insert_paths({"int": int, "uint64": np.uint64, "0-d": lambda v: np.array(v, np.uint64)}, [np.uint64])
)
def test_large_unsigned_keys_on_every_path(ins_name, ins):
    f = vecta.BloomFilter(bits=1 << 16, hashes=4)
    ins(f, LARGE)
    for q_name, q in query_paths({"int": int, "uint64": np.uint64}, [np.uint64]):
        assert all(q(f, LARGE)), f"inserted by {ins_name}, missed by {q_name}"


@pytest.mark.parametrize("bad", [-1, -(2**63), 2**64, 2**70, -(2**70)])
def test_integers_outside_uint64_raise_valueerror_on_every_path(bad):
    f = vecta.BloomFilter(1000)
    forms = [bad]
    if -(2**63) <= bad < 0:
        forms += [np.int64(bad), np.array(bad, np.int64)]
        if bad >= -128:
            forms += [np.int8(bad), np.int16(bad), np.int32(bad)]
    for k in forms:
        for call in (f.add, f.insert, f.contains, f.__contains__):
            with pytest.raises(ValueError, match=r"\[0, 2\*\*64\)"):
                call(k)
        for call in (f.insert_many, f.contains_many):
            with pytest.raises(ValueError, match=r"\[0, 2\*\*64\)"):
                call([k])
            with pytest.raises(ValueError, match=r"\[0, 2\*\*64\)"):
                call(object_array(lambda v: v, [k]))
    if -(2**63) <= bad < 0:
        for dt in (np.int8, np.int16, np.int32, np.int64):
            if np.iinfo(dt).min <= bad:
                for call in (f.insert_many, f.contains_many):
                    with pytest.raises(ValueError, match="flat index 1"):
                        call(np.array([5, bad], dt))
    assert f.bits_set() == 0  # nothing was inserted by the failed calls
    # The documented way to use a signed array's bit patterns as keys.
    s = np.array([-1, 5], np.int64)
    f.insert_many(s.view(np.uint64))
    assert (2**64 - 1) in f and f.contains_many(np.array([2**64 - 1, 5], np.uint64)).all()


TEXTS = ["", "a", "hello", "Grüße", "雪☃", "x" * 300]


@pytest.mark.parametrize("ins_name,ins", insert_paths(TEXT_FORMS, []), ids=lambda x: str(x))
def test_text_and_bytes_keys_every_insert_path_found_by_every_query_path(ins_name, ins):
    f = vecta.BloomFilter(bits=1 << 16, hashes=4)
    ins(f, TEXTS)
    for q_name, q in query_paths(TEXT_FORMS, []):
        assert all(q(f, TEXTS)), f"inserted by {ins_name}, missed by {q_name}"
    assert sum(f.contains_many([f"absent-{i}" for i in range(2000)])) < 20


def test_kinds_are_distinct_and_non_keys_raise_typeerror():
    f = vecta.BloomFilter(bits=1 << 16, hashes=4)
    f.add(5)
    # The integer 5 is not the bytes of 5 (one rule per kind).
    assert np.array([5], np.uint64).tobytes() not in f
    f.add(np.array([1, 2, 3], np.uint8).tobytes())
    assert memoryview(np.array([1, 2, 3], np.uint8)) in f
    for bad in (1.5, np.float64(2.0), np.float32(1), np.complex64(1), None, object(), np.datetime64("2020-01-01")):
        for call in (f.add, f.contains, f.__contains__):
            with pytest.raises(TypeError):
                call(bad)
        with pytest.raises(TypeError):
            f.insert_many([bad])
    for arr in (np.array([1, 2]), np.zeros((2, 2), np.uint8), np.array(["a"]), np.array(1.0)):
        with pytest.raises(TypeError):
            f.add(arr)
    for arr in (np.array([1.0, 2.0]), np.array(["a", "b"]), np.array([b"a"])):
        with pytest.raises(TypeError, match="dtype"):
            f.insert_many(arr)
    # One str / bytes-like is one key, not a sequence of keys; a non-iterable names the argument.
    for one in ("abc", b"abc", bytearray(b"abc"), memoryview(b"abc"), None, 5):
        for call in (f.insert_many, f.contains_many):
            with pytest.raises(TypeError, match=r"BloomFilter\.(insert|contains)_many: keys must be"):
                call(one)
    assert 97 not in f and "a" not in f  # nothing was inserted by the refused calls
    # Operators with another type: NotImplemented, so Python raises its own TypeError.
    with pytest.raises(TypeError, match="unsupported operand"):
        f & None
    with pytest.raises(TypeError, match="unsupported operand"):
        f | 5
        with pytest.raises(TypeError, match="dtype"):
            f.contains_many(arr)
    with pytest.raises(TypeError):  # not C-contiguous
        f.add(memoryview(np.arange(10, dtype=np.uint8))[::2])


def test_issue_17_numpy_scalars_from_an_array():
    h = np.array([11, 22, 33], np.uint64)
    bf = vecta.BloomFilter(1000)
    for x in h:
        bf.add(x)
    assert bf.contains_many(h).tolist() == [True, True, True]
    assert bf.contains_many(list(h)) == [True, True, True]
    assert all(x in bf for x in h.astype(np.int32))


def test_a_million_keys_no_false_negatives_across_paths():
    n = 10**6
    rng = np.random.default_rng(17)
    ints = rng.integers(0, 2**64, size=700_000, dtype=np.uint64)
    small = rng.integers(0, 2**31, size=100_000, dtype=np.int64)
    texts = [f"frame-{i:07d}" for i in range(100_000)]
    blobs = [rng.bytes(12) for _ in range(100_000)]
    f = vecta.BloomFilter(n, 0.01)
    f.insert_many(ints)  # uint64 array
    f.insert_many(small)  # int64 array
    f.insert_many(texts)  # list of str
    for b in blobs:  # one by one
        f.add(b)
    # Each set queried through other paths than it was inserted by.
    assert all(f.contains_many(ints.tolist()))  # Python ints
    assert f.contains_many(ints.astype(object)).all()  # object array of Python ints
    assert all(x in f for x in ints[:20_000])  # numpy.uint64 scalars
    assert f.contains_many(small.astype(np.uint32)).all()  # other width
    assert all(f.contains_many([np.int64(x) for x in small[:50_000]]))
    assert all(f.contains_many([t.encode() for t in texts]))  # UTF-8 bytes of the strs
    assert all(np.str_(t) in f for t in texts[:20_000])
    assert all(f.contains_many(blobs))
    assert all(f.contains_many([bytearray(b) for b in blobs]))
    assert all(memoryview(b) in f for b in blobs[:20_000])
    # And the rate of false positives on keys never inserted stays near the target.
    absent = rng.integers(0, 2**64, size=200_000, dtype=np.uint64)
    assert f.contains_many(absent).mean() < 0.02
