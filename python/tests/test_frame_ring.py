# SPDX-License-Identifier: MIT
"""vecta.FrameRing across processes: a writer and a reader process over FrameRing.open (shared
memory and a file), zero-copy frames and their lifetime rule, exact lost counts, pickling refusal,
close semantics, timeouts."""
import copy
import multiprocessing as mp
import os
import pickle
import threading
import time
import uuid

import numpy as np
import pytest

import vecta

ctx = mp.get_context("fork")


def payload(seq):
    """Frame `seq`'s bytes: a pure function of the sequence number, random size."""
    rng = np.random.default_rng(seq)
    return rng.integers(0, 256, int(rng.integers(0, 20000)), dtype=np.uint8)


def _writer(name, frames, ready):
    with vecta.FrameRing.open(name, writer=True) as ring:
        ready.wait(10)
        for s in range(frames):
            ring.push(s, payload(s))
            if s % 50 == 0:
                time.sleep(0.001)


def _reader(name, frames, ready, out):
    returned = lost = invalid = torn = 0
    with vecta.FrameRing.open(name) as ring:
        ready.set()
        expect = 0
        deadline = time.monotonic() + 60
        while expect < frames and time.monotonic() < deadline:
            f = ring.next_frame(timeout=1.0)
            if f is None:
                continue
            lost += f.lost
            assert f.sequence == expect + f.lost
            expect = f.sequence + 1
            a = np.frombuffer(f.data, np.uint8)  # zero copy
            same = a.size == payload(f.sequence).size and np.array_equal(a, payload(f.sequence))
            if not f.valid():  # overwritten while we looked: not a torn read, a lost frame
                invalid += 1
                continue
            torn += not same
            returned += 1
            del a, f
        assert ring.lost == lost
    out.put((returned, lost, invalid, torn, expect))


@pytest.mark.parametrize("kind", ["shm", "file"])
def test_writer_and_reader_processes(tmp_path, kind):
    name = f"vecta_test_{uuid.uuid4().hex[:12]}" if kind == "shm" else str(tmp_path / "ring.bin")
    frames = 3000
    creator = vecta.FrameRing.open(name, capacity=1 << 20, create=True)
    try:
        ready, out = ctx.Event(), ctx.Queue()
        reader = ctx.Process(target=_reader, args=(name, frames, ready, out))
        reader.start()
        creator.close()  # the writer process attaches on its own
        writer = ctx.Process(target=_writer, args=(name, frames, ready))
        writer.start()
        writer.join(60)
        returned, lost, invalid, torn, last = out.get(timeout=60)
        reader.join(60)
        assert writer.exitcode == 0 and reader.exitcode == 0
        assert torn == 0 and last == frames
        assert returned + lost + invalid == frames
        assert returned > frames // 10
        # the ring outlives its processes: a new reader sees the newest frames
        with vecta.FrameRing.open(name) as again:
            back = again.back()
            assert back.sequence == frames - 1 and bytes(back.data) == payload(frames - 1).tobytes()
            del back
    finally:
        creator.unlink()


def test_zero_copy_frames_lifetime_and_exact_lost_counts():
    ring = vecta.FrameRing(4096)
    reader = vecta.FrameRing.attach(ring.buffer)
    assert not reader.writer and ring.writer
    for t in range(40):
        ring.push(t, np.full(200, t, np.uint8))  # 232-byte records: 17 fit in 4096
    assert len(ring) == 17 == len(reader)
    f = reader.next_frame(timeout=0)
    assert f.lost == 23 and f.sequence == 23 and f.timestamp == 23
    assert f.data.readonly and len(f) == 200
    view = np.frombuffer(f.data, np.uint8)
    assert not view.flags.writeable
    assert view.ctypes.data == np.frombuffer(f.data, np.uint8).ctypes.data  # no copy made
    assert (view == 23).all() and f.valid() and f.copy() == bytes([23]) * 200
    ring.push(40, np.full(200, 40, np.uint8))  # evicts frame 23: its view may now hold other bytes
    assert not f.valid()
    with pytest.raises(ValueError, match="overwritten"):
        f.copy()
    assert reader.next_frame(timeout=0).sequence == 24
    assert reader.lost == 23
    # iteration walks the frames held, one view at a time, and does not move next_frame's cursor
    seqs = [g.sequence for g in reader]
    assert seqs == list(range(24, 41))
    assert [g.timestamp for g in ring.frames(since=38)] == [38, 39, 40]
    assert ring.find(39).sequence == 39 and ring.find(1000) is None
    assert reader.front().sequence == 24 and reader.back().sequence == 40
    assert reader.next_frame(timeout=0).sequence == 25
    ring.clear()
    assert len(reader) == 0
    with pytest.raises(IndexError):
        reader.front()
    with pytest.raises(ValueError, match="reading"):
        reader.push(1, b"x")


def test_pickling_and_copying_refuse():
    ring = vecta.FrameRing(1024)
    ring.push(1, b"abc")
    with pytest.raises(TypeError, match="pickle"):
        pickle.dumps(ring)
    with pytest.raises(TypeError):
        copy.copy(ring)
    with pytest.raises(TypeError, match="pickle"):
        pickle.dumps(ring.front())
    assert pickle.loads(pickle.dumps(ring.front().copy())) == b"abc"


def test_close_semantics():
    name = f"vecta_test_{uuid.uuid4().hex[:12]}"
    with vecta.FrameRing.open(name, capacity=4096, create=True) as w:
        w.push(1, b"hello")
        r = vecta.FrameRing.open(name)
        f = r.next_frame(timeout=0)
        with pytest.raises(BufferError, match="Frame"):
            r.close()  # the frame still maps the memory
        assert r.closed and bytes(f.data) == b"hello"  # the view stays readable
        with pytest.raises(ValueError, match="closed"):
            r.next_frame(timeout=0)
        with pytest.raises(ValueError, match="closed"):
            len(r)
        f.data.release()  # a view the caller releases does not release the Frame's hold
        assert f.valid() and bytes(f.data) == b"hello"
        del f
        r.close()  # now the shared memory closes
        r.close()  # idempotent
        assert repr(r) == "FrameRing(closed)"
    assert w.closed
    with pytest.raises(ValueError, match="closed"):
        w.push(2, b"x")
    w.unlink()
    with pytest.raises(FileNotFoundError):
        vecta.FrameRing.open(name)


def test_timeouts_and_wake_up():
    ring = vecta.FrameRing(1 << 16)
    t0 = time.monotonic()
    assert ring.next_frame(timeout=0.2) is None
    assert 0.19 <= time.monotonic() - t0 < 2
    assert ring.next_frame(timeout=0) is None
    with pytest.raises(ValueError, match="timeout"):
        ring.next_frame(timeout=-1)

    name = f"vecta_test_{uuid.uuid4().hex[:12]}"
    w = vecta.FrameRing.open(name, capacity=1 << 16, create=True)
    try:
        r = vecta.FrameRing.open(name)

        def push_later():
            with vecta.FrameRing.open(name, writer=True) as late:
                time.sleep(0.3)
                late.push(7, b"late")

        p = ctx.Process(target=push_later)
        p.start()
        t0 = time.monotonic()
        f = r.next_frame()  # no timeout: waits for the other process's push
        waited = time.monotonic() - t0
        p.join(10)
        assert f.timestamp == 7 and bytes(f.data) == b"late"
        assert 0.2 < waited < 5
        del f
        r.close()
        w.close()
    finally:
        w.unlink()


def test_file_rings_and_bad_arguments(tmp_path):
    path = tmp_path / "ring"
    with vecta.FrameRing.open(path, capacity=1000, create=True) as w:
        assert w.capacity_bytes == 1000 and w.max_frame_bytes == 1000 - 32
        w.push(3, np.arange(10, dtype=np.uint8))
    assert os.path.getsize(path) == 128 + 1000
    with vecta.FrameRing.open(path) as r:  # read-only mapping
        f = r.next_frame(timeout=0)
        assert bytes(f.data) == bytes(range(10))
        del f
    with pytest.raises(FileExistsError):
        vecta.FrameRing.open(path, capacity=1000, create=True)
    with pytest.raises(ValueError, match="capacity"):
        vecta.FrameRing.open(tmp_path / "small", capacity=8, create=True)
    with pytest.raises(ValueError, match="capacity"):
        vecta.FrameRing.open(path, capacity=1000)
    with pytest.raises(ValueError, match="create"):
        vecta.FrameRing.open(tmp_path / "x", capacity=1000, create=True, writer=False)
    (tmp_path / "junk").write_bytes(bytes(4096))
    with pytest.raises(OSError, match="magic"):
        vecta.FrameRing.open(tmp_path / "junk")
    with pytest.raises(OSError, match="magic"):
        vecta.FrameRing.attach(bytearray(1024))
    with pytest.raises(TypeError, match="writable"):
        vecta.FrameRing(buffer=b"read-only bytes" * 20)
    ring = vecta.FrameRing(64)
    with pytest.raises(ValueError, match="frame"):
        ring.push(1, bytes(33))
    ring.push(5, b"")
    with pytest.raises(ValueError, match="timestamp"):
        ring.push(4, b"")


def test_threads_share_a_handle():
    """A thread waiting in next_frame (GIL released) blocks neither pushes nor other calls on the
    same handle; close() from another thread ends the wait with ValueError."""
    ring = vecta.FrameRing(1 << 16)
    got, errors = [], []
    waiter = threading.Thread(target=lambda: got.append(ring.next_frame(timeout=10)))
    waiter.start()
    time.sleep(0.2)
    t0 = time.monotonic()
    assert ring.frames() == [] and len(ring) == 0
    ring.push(1, b"x")
    waiter.join(10)
    assert not waiter.is_alive() and got[0].timestamp == 1
    assert time.monotonic() - t0 < 5
    del got

    def wait_forever():
        try:
            ring.next_frame()
        except ValueError as e:
            errors.append(str(e))

    waiter = threading.Thread(target=wait_forever)
    waiter.start()
    time.sleep(0.2)
    ring.close()
    waiter.join(10)
    assert not waiter.is_alive() and "closed" in errors[0]
