# SPDX-License-Identifier: MIT
"""NumPy-style errors for arguments the compiled functions could not convert (issue 21).

When no overload of a pybind11 function accepts the arguments, pybind11 raises TypeError
"incompatible function arguments" with every argument's repr (a whole array) and its C++ types.
`wrap` puts a Python function around each public callable of vecta._core that only acts on that
failure (the successful path is one extra call): it finds the first argument that does not fit the
parameter's declared type and raises instead, with the Python argument name,

  TypeError   for None, a float where an integer is expected, a non-str / non-bool / non-bytes-like
              value, an unknown keyword or too many positional arguments;
  ValueError  for an integer out of the parameter's range (negative for a count or size, or beyond
              64 bits),
  TypeError   for None given for a required array argument (declared `object`: the function's own
              check would call it an array of dtype object),

never printing an array. Errors raised inside the functions (vecta::invalid_argument -> ValueError
with vecta's message) pass through unchanged.
"""
import functools
import numbers
import operator
import re

_SIG = re.compile(r"^\s*(?:\d+\.\s*)?(\w+)\((.*)\)\s*->")


def _params(doc):
    """[(name, type, has_default, kw_only)] from pybind11's first signature line "f(a: int, *, b: str = 'x') -> T"."""
    if not doc:
        return None
    for line in doc.splitlines():
        m = _SIG.match(line)
        if m:
            break
    else:
        return None
    out, depth, cur, kw = [], 0, "", False
    parts = []
    for ch in m.group(2):  # split on top-level commas only (defaults may hold tuples, types brackets)
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    if cur.strip():
        parts.append(cur)
    for p in parts:
        p = p.strip()
        if p == "*":
            kw = True
            continue
        if p == "/":
            continue
        name, _, rest = p.partition(":")
        typ, eq, _ = rest.partition("=")
        out.append((name.strip(), typ.strip(), bool(eq), kw))
    return out


def _tname(v):
    return "None" if v is None else type(v).__name__


def _check(fn, name, typ, v):
    """The exception for value v of a parameter declared `typ`, or None when v would convert."""
    t = typ.replace("typing.", "")
    if t.startswith("Optional[") and t.endswith("]"):
        if v is None:
            return None
        t = t[len("Optional["):-1]
    if t in ("object", "handle", "Any", "") or t.startswith("Callable"):
        return None
    if t == "int":
        if v is None or isinstance(v, (str, bytes)) or (isinstance(v, numbers.Real) and not isinstance(v, numbers.Integral)
                                                         and not hasattr(v, "__index__")):
            return TypeError(f"{fn}: {name} must be an integer, got {_tname(v)}"
                             + (f" {v!r}" if isinstance(v, float) else ""))
        try:
            i = operator.index(v)
        except TypeError:
            return TypeError(f"{fn}: {name} must be an integer, got {_tname(v)}")
        if i < 0:
            return ValueError(f"{fn}: {name} must be >= 0, got {i}")
        if i >= 2 ** 64:
            return ValueError(f"{fn}: {name} must be < 2**64, got {i}")
        return None  # in range: the failure is elsewhere (or a signed 32-bit parameter, checked below)
    if t == "float":
        if isinstance(v, numbers.Real) and not isinstance(v, bool) or hasattr(v, "__float__") and not isinstance(v, (str, bytes)):
            return None
        return TypeError(f"{fn}: {name} must be a real number, got {_tname(v)}")
    if t == "bool":
        if isinstance(v, bool) or type(v).__name__ == "bool_":
            return None
        return TypeError(f"{fn}: {name} must be True or False, got {_tname(v)}")
    if t == "str":
        return None if isinstance(v, str) else TypeError(f"{fn}: {name} must be a str, got {_tname(v)}")
    if t in ("Buffer", "buffer"):
        try:
            memoryview(v)
            return None
        except TypeError:
            return TypeError(f"{fn}: {name} must be a bytes-like object (bytes, bytearray, memoryview, "
                             f"NumPy array), got {_tname(v)}")
    if t in ("numpy.ndarray", "ndarray"):
        return None
    # a bound class (e.g. BloomFilter): the name is the last component
    want = t.rsplit(".", 1)[-1]
    if type(v).__name__ != want:
        return TypeError(f"{fn}: {name} must be a {want}, got {_tname(v)}")
    return None


def diagnose(fn, doc, args, kwargs, method=False):
    """The NumPy-style exception for a call that pybind11 refused (see the module doc)."""
    params = _params(doc)
    if params is None:
        return TypeError(f"{fn}: invalid arguments")
    if method and params and params[0][0] == "self":
        params = params[1:]
    positional = [p for p in params if not p[3]]
    if len(args) > len(positional):
        return TypeError(f"{fn}: takes {len(positional)} positional argument{'s' if len(positional) != 1 else ''} "
                         f"but {len(args)} were given")
    names = {p[0] for p in params}
    for k in kwargs:
        if k not in names:
            return TypeError(f"{fn}: got an unexpected keyword argument '{k}'")
    given = dict(zip((p[0] for p in positional), args))
    for k, v in kwargs.items():
        if k in given:
            return TypeError(f"{fn}: got multiple values for argument '{k}'")
        given[k] = v
    for name, typ, has_default, _ in params:
        if name not in given:
            if not has_default:
                return TypeError(f"{fn}: missing required argument '{name}'")
            continue
        e = _check(fn, name, typ, given[name])
        if e is not None:
            return e
    # Every value fits its declared Python type: an int beyond the C++ parameter's range (e.g. a
    # 32-bit threshold or channel count).
    for name, typ, _, _ in params:
        v = given.get(name)
        if typ.endswith("int") and isinstance(v, numbers.Integral) and not -2 ** 31 <= int(v) < 2 ** 31:
            return ValueError(f"{fn}: {name} is out of range, got {int(v)}")
    return TypeError(f"{fn}: invalid arguments (types: "
                     + ", ".join(f"{k}={_tname(v)}" for k, v in given.items()) + ")")


def none_for_array(fn, doc, args, kwargs, method=False):
    """TypeError when a required argument declared `object` (an array-like) is None, else None."""
    params = _params(doc)
    if params is None:
        return None
    if method and params and params[0][0] == "self":
        params = params[1:]
    given = dict(zip((p[0] for p in params if not p[3]), args))
    given.update(kwargs)
    for name, typ, has_default, _ in params:
        if not has_default and typ in ("object", "handle", "buffer", "Buffer") and name in given and given[name] is None:
            return TypeError(f"{fn}: {name} must be an array-like or bytes-like object, not None")
    return None


def _refused(e):
    s = str(e)
    return "incompatible function arguments" in s or "incompatible constructor arguments" in s


def wrap(f, fn, method=False):
    """f with pybind11's conversion failures turned into diagnose()'s exception."""
    @functools.wraps(f)
    def call(*args, **kwargs):
        try:
            return f(*args, **kwargs)
        except (TypeError, ValueError) as e:
            refused = isinstance(e, TypeError) and _refused(e)
            if not refused:
                none = none_for_array(fn, f.__doc__, args[1:] if method else args, kwargs, method=method)
                if none is None:
                    raise
                raise none from None
        raise diagnose(fn, f.__doc__, args[1:] if method else args, kwargs, method=method)
    return call


def _needs_wrap(f):
    """False for methods whose parameters are all `object` (every value converts; hot per-key calls stay direct)."""
    params = _params(f.__doc__)
    if params is None:
        return True
    return any(typ not in ("object", "handle") for name, typ, _, _ in params if name != "self")


def install(core, williams):
    """Wraps, in place, the public functions of core and of its williams submodule (one wrapper object under
    both names) and the methods / constructors of its classes. Import names from core afterwards."""
    done = {}
    for mod, prefix in ((williams, "vecta.williams."), (core, "vecta.")):
        for name in dir(mod):
            obj = getattr(mod, name)
            if name.startswith("_"):
                continue
            if type(obj).__name__ == "builtin_function_or_method":
                if id(obj) not in done:
                    done[id(obj)] = wrap(obj, prefix + name)
                setattr(mod, name, done[id(obj)])
            elif isinstance(obj, type) and obj.__module__ == core.__name__:
                _install_class(obj, "vecta." + name)


def _install_class(cls, qual):
    for name, attr in list(vars(cls).items()):
        if name.startswith("__") and name != "__init__":
            continue
        if isinstance(attr, staticmethod):
            f = attr.__func__
            if type(f).__name__ == "builtin_function_or_method" and _needs_wrap(f):
                setattr(cls, name, staticmethod(wrap(f, f"{qual}.{name}")))
        elif type(attr).__name__ == "instancemethod":
            f = attr.__func__
            if _needs_wrap(f):
                setattr(cls, name, wrap(f, qual if name == "__init__" else f"{qual}.{name}", method=True))
