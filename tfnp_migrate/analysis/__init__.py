"""Questions about code, answered without rewriting it.

`index` answers cheap over-approximate questions from `ast` (used to skip files before LibCST runs);
`names`, `kinds`, `traced` and `dtypes` answer precise questions through LibCST metadata.
"""
