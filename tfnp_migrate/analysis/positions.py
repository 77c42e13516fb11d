"""Line and column ranges equal to LibCST's PositionProvider, at a fraction of its cost.

PositionProvider updates a line/column pair at every token and builds a CodeRange for every node
of the module (about 4 s per MB here, more than parsing). The engine needs the positions of the
few nodes it reports, so this generates the code once and remembers only token indexes, turning
them into ranges for the nodes asked about. It hooks LibCST's code generation (the same hooks
PositionProvider uses); if those ever change shape, it falls back to PositionProvider itself.
tests/analysis/test_positions.py checks equality with PositionProvider on every fixture.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping
from contextlib import contextmanager

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider

try:
    from libcst._nodes.internal import CodegenState
except ImportError:  # pragma: no cover - a LibCST without the hook: use the provider
    CodegenState = None  # type: ignore[assignment,misc]

_NEWLINE = re.compile(r"\r\n?|\n")
Spans = dict[cst.CSTNode, tuple[int, int]]  # node -> (first token index, end token index)

# A compound statement's range ends where a child's range ends (its block, last statement or
# handler): LibCST reads that child's range, so every node is recorded except the kinds that
# never serve as such a child (they are most of the nodes).
_NEVER_BORROWED = (
    cst.BaseExpression,
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Newline,
    cst.Comment,
    cst.Arg,
    cst.BaseElement,
    cst.Comma,
    cst.Dot,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.AssignEqual,
    cst.Colon,
)


def _state_class() -> type | None:
    if CodegenState is None:
        return None

    class _TokenIndexState(CodegenState):  # type: ignore[misc,valid-type]
        """Records token indexes instead of line/column pairs, for `targets` (None = all)."""

        def __init__(self, module: cst.Module, targets: Collection[cst.CSTNode] | None) -> None:
            super().__init__(
                default_indent=module.default_indent, default_newline=module.default_newline
            )
            self.targets = targets
            self.spans: Spans = {}
            self.starts: list[int] = []
            self.popped = False

        def _wanted(self, node: cst.CSTNode) -> bool:
            return (
                self.targets is None
                or node in self.targets
                or not isinstance(node, _NEVER_BORROWED)
            )

        def before_codegen(self, node: cst.CSTNode) -> None:
            self.starts.append(len(self.tokens))

        def after_codegen(self, node: cst.CSTNode) -> None:
            start = self.starts.pop()
            if node not in self.spans and self._wanted(node):
                self.spans[node] = (start, len(self.tokens))

        @contextmanager
        def record_syntactic_position(
            self,
            node: cst.CSTNode,
            *,
            start_node: cst.CSTNode | None = None,
            end_node: cst.CSTNode | None = None,
        ) -> Iterator[None]:
            start = len(self.tokens)
            try:
                yield
            finally:
                if self._wanted(node):
                    end = len(self.tokens)
                    first = self.spans[start_node][0] if start_node is not None else start
                    self.spans[node] = (first, self.spans[end_node][1] if end_node else end)

        def pop_trailing_newline(self) -> None:
            # PositionProvider keeps counting the popped newline, so keep it for positions
            # (`code` drops it again).
            self.popped = True

    return _TokenIndexState


_STATE = _state_class()


def compute(
    module: cst.Module, targets: Collection[cst.CSTNode] | None = None
) -> Mapping[cst.CSTNode, CodeRange]:
    """PositionProvider's ranges for `targets` (every node when None)."""
    return compute_with_code(module, targets)[0]


def compute_with_code(
    module: cst.Module, targets: Collection[cst.CSTNode] | None = None
) -> tuple[Mapping[cst.CSTNode, CodeRange], str | None]:
    """The ranges of `compute`, and `module.code` from the same code generation (None when
    the fallback to PositionProvider was taken)."""
    if _STATE is not None:
        try:
            return _from_tokens(module, None if targets is None else set(targets))
        except (TypeError, AttributeError, KeyError):  # pragma: no cover - LibCST changed
            pass
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider), None


def _from_tokens(
    module: cst.Module, targets: Collection[cst.CSTNode] | None
) -> tuple[dict[cst.CSTNode, CodeRange], str]:
    assert _STATE is not None
    state = _STATE(module, targets)
    module._codegen(state)
    tokens = state.tokens
    wanted = sorted({i for span in state.spans.values() for i in span})
    at: dict[int, CodePosition] = {}
    line, column, done = 1, 0, 0
    for index in wanted:
        for token in tokens[done:index]:
            parts = _NEWLINE.split(token)
            if len(parts) == 1:
                column += len(token)
            else:
                line, column = line + len(parts) - 1, len(parts[-1])
        done = max(done, index)
        at[index] = CodePosition(line, column)
    spans = state.spans
    nodes = spans if targets is None else [n for n in targets if n in spans]
    code = "".join(tokens[:-1] if state.popped and tokens else tokens)
    return {n: CodeRange(at[spans[n][0]], at[spans[n][1]]) for n in nodes}, code
