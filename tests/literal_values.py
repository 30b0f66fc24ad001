"""Hypothesis strategies for Python literal values (what ``ast.literal_eval`` can produce),
shared by the serialisation and front-end tests."""

from __future__ import annotations

from hypothesis import strategies as st

names = st.text(min_size=1, max_size=12)

_hashable_scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.complex_numbers(allow_nan=False)
    | st.text(max_size=8)
    | st.binary(max_size=8)
    | st.just(...)
)

hashables = st.recursive(
    _hashable_scalars,
    lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
    max_leaves=6,
)

scalars = _hashable_scalars | st.floats() | st.complex_numbers()

literals = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.lists(inner, max_size=4).map(tuple)
        | st.dictionaries(st.text(max_size=6), inner, max_size=4)
        | st.dictionaries(hashables, inner, max_size=3)
        | st.sets(hashables, max_size=4)
    ),
    max_leaves=12,
)
