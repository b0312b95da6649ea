"""MutPy's first-order mutation operators, on Python's own `ast`, emitted as source.

Protocol: one JSON object on stdin, one on stdout.
  in:  {"op": "mutate", "sources": [str, ...], "operators": [code, ...]}
       {"op": "normalise", "sources": [str, ...]}
  out: {"results": [{"ok": true, "mutants": [{"operator", "line", "source", "emitted"}, ...]}
                    | {"ok": false, "error": {"message", "line", "column"}}, ...]}       (mutate)
       {"results": [{"ok": true, "normalised": str} | {"ok": false, "error": {...}}, ...]} (normalise)

A mutant is one operator applied at one node with one replacement (MutPy's `mutate_<Node>[_<variant>]`), in
MutPy's visiting order: operators in the requested order, nodes in pre-order of `ast.iter_fields`, replacements in
MutPy's method order. Its source is the original text with the smallest edit whose parse equals the mutated tree
(ast.dump, positions ignored; checked on the statement that holds the mutation, a mutated copy of it standing for
the expected tree), so comments, docstrings and the rest of the layout stay as written. When no local edit parses
to the mutated tree, the whole mutated module is printed with ast.unparse ("emitted": "unparse").

Where MutPy needs the imported module (IHD, IOD, SCI ask whether a base class has the name), the answer here is
static: classes of the same module, followed through their bases, plus builtin bases (Exception, dict, ...) and
`object`; a base defined elsewhere (imported) is unknown, and the mutation is not made. Nothing of the program
under test is executed.
"""

import ast
import builtins
import copy
import io
import json
import re
import sys
import tokenize

NUMERIC_OPS = {
    # MutPy's AbstractArithmeticOperatorReplacement, in its method order (dir(): alphabetical).
    ast.Add: [ast.Sub],
    ast.Div: [ast.FloorDiv, ast.Mult],  # mutate_Div_to_FloorDiv, mutate_Div_to_Mult
    ast.FloorDiv: [ast.Div, ast.Mult],
    ast.Mod: [ast.Mult],
    ast.Mult: [ast.Div, ast.FloorDiv, ast.Pow],
    ast.Pow: [ast.Mult],
    ast.Sub: [ast.Add],
}
BITWISE_OPS = {
    ast.BitAnd: [ast.BitOr],
    ast.BitOr: [ast.BitAnd],
    ast.BitXor: [ast.BitAnd],
    ast.LShift: [ast.RShift],
    ast.RShift: [ast.LShift],
}
RELATIONAL_OPS = {
    # mutate_Lt, mutate_Lt_to_LtE, ...
    ast.Lt: [ast.Gt, ast.LtE],
    ast.Gt: [ast.Lt, ast.GtE],
    ast.LtE: [ast.GtE, ast.Lt],
    ast.GtE: [ast.LtE, ast.Gt],
    ast.Eq: [ast.NotEq],
    ast.NotEq: [ast.Eq],
}
OP_TEXT = {
    ast.Add: '+', ast.Sub: '-', ast.Mult: '*', ast.Div: '/', ast.FloorDiv: '//', ast.Mod: '%', ast.Pow: '**',
    ast.MatMult: '@', ast.BitAnd: '&', ast.BitOr: '|', ast.BitXor: '^', ast.LShift: '<<', ast.RShift: '>>',
    ast.Lt: '<', ast.Gt: '>', ast.LtE: '<=', ast.GtE: '>=', ast.Eq: '==', ast.NotEq: '!=',
    ast.In: 'in', ast.NotIn: 'not in', ast.Is: 'is', ast.IsNot: 'is not', ast.And: 'and', ast.Or: 'or',
    ast.UAdd: '+', ast.USub: '-', ast.Not: 'not', ast.Invert: '~',
}
FUNCTION_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef)
SCOPE_DEFS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Module)


class Skip(Exception):
    """MutPy's MutationResign: this operator makes no mutant at this node."""


class SourceText:
    """The program text with ast positions (line, UTF-8 byte column) turned into character offsets."""

    def __init__(self, text):
        self.text = text
        self.lines = re.split(r'(?<=\r\n)|(?<=\n)|(?<=\r)(?!\n)', text)
        self.starts = []
        offset = 0
        for line in self.lines:
            self.starts.append(offset)
            offset += len(line)
        self._tokens = None

    def offset(self, lineno, col):
        line = self.lines[lineno - 1] if lineno - 1 < len(self.lines) else ''
        return self.starts[lineno - 1] + len(line.encode('utf-8')[:col].decode('utf-8', 'replace'))

    def span(self, node):
        return self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset)

    def segment(self, node):
        start, end = self.span(node)
        return self.text[start:end]

    def line_start(self, lineno):
        return self.starts[lineno - 1]

    def line_end(self, lineno):
        """Offset just past the line's newline (or the end of the text)."""
        return self.starts[lineno] if lineno < len(self.starts) else len(self.text)

    def indent_of(self, lineno):
        line = self.lines[lineno - 1]
        return line[: len(line) - len(line.lstrip(' \t'))]

    def tokens(self):
        """(string, start, end) of every operator/name token, character offsets; [] when tokenize fails."""
        if self._tokens is None:
            self._tokens = []
            try:
                for token in tokenize.generate_tokens(io.StringIO(self.text).readline):
                    if token.type in (tokenize.OP, tokenize.NAME):
                        (l1, c1), (l2, c2) = token.start, token.end
                        self._tokens.append((token.string, self.starts[l1 - 1] + c1, self.starts[l2 - 1] + c2))
            except (tokenize.TokenError, SyntaxError, IndexError):
                self._tokens = []
        return self._tokens

    def tokens_between(self, start, end):
        return [t for t in self.tokens() if t[1] >= start and t[2] <= end and t[0] not in '()']


def splice(text, edits):
    """Apply non-overlapping (start, end, replacement) edits."""
    out, last = [], 0
    for start, end, replacement in sorted(edits, key=lambda e: e[0]):
        out.append(text[last:start])
        out.append(replacement)
        last = end
    out.append(text[last:])
    return ''.join(out)


def dump(tree):
    return ast.dump(tree)


class Scoped:
    """A copy of one statement standing for the whole tree: absolute paths resolve below `prefix` in it."""

    def __init__(self, node, prefix):
        self.node = node
        self.prefix = prefix


def node_at(tree, path):
    node = tree
    if isinstance(tree, Scoped):
        node, path = tree.node, path[len(tree.prefix) :]
    for field, index in path:
        node = getattr(node, field)
        if index is not None:
            node = node[index]
    return node


def set_at(tree, path, value):
    parent = node_at(tree, path[:-1])
    field, index = path[-1]
    if index is None:
        setattr(parent, field, value)
    else:
        getattr(parent, field)[index] = value


def is_docstring(node, parent, grandparent):
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and isinstance(parent, ast.Expr)
        and isinstance(grandparent, SCOPE_DEFS)
        and bool(grandparent.body)
        and grandparent.body[0] is parent
    )


def has_notmutate(node):
    # MutPy's has_notmutate: the first decorator without `.id` (a call, an attribute) ends the check with False.
    for decorator in getattr(node, 'decorator_list', None) or []:
        if not isinstance(decorator, ast.Name):
            return False
        if decorator.id == 'notmutate':
            return True
    return False


def walk(node, path=(), parents=()):
    """Pre-order over ast.iter_fields, as MutPy visits, skipping @notmutate subtrees; yields (node, path, parents)."""
    if has_notmutate(node):
        return
    yield node, path, parents
    for field, value in ast.iter_fields(node):
        if isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, ast.AST):
                    yield from walk(item, path + ((field, index),), parents + (node,))
        elif isinstance(value, ast.AST):
            yield from walk(value, path + ((field, None),), parents + (node,))


# --- classes, statically (IHD, IOD, SCI) ------------------------------------------------------------------------


class ClassIndex:
    """What MutPy learns from the imported module: does some base class of this class have `name`?"""

    def __init__(self, tree):
        self.by_qualname = {}
        self._collect(tree, ())

    def _collect(self, node, prefix):
        for child in getattr(node, 'body', []):
            if isinstance(child, ast.ClassDef):
                qualname = prefix + (child.name,)
                self.by_qualname[qualname] = child
                self._collect(child, qualname)

    @staticmethod
    def own_names(klass):
        names = set()
        for stmt in klass.body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(stmt.name)
            elif isinstance(stmt, ast.Assign):
                for target in stmt.targets:
                    for element in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                        if isinstance(element, ast.Name):
                            names.add(element.id)
            elif isinstance(stmt, (ast.AnnAssign, ast.AugAssign)) and isinstance(stmt.target, ast.Name):
                if not isinstance(stmt, ast.AnnAssign) or stmt.value is not None:
                    names.add(stmt.target.id)
        return names

    def _resolve(self, base, scope):
        """The class a base expression names: ('module', ClassDef) | ('builtin', type) | None (unknown)."""
        if isinstance(base, ast.Name):
            for depth in range(len(scope), -1, -1):
                found = self.by_qualname.get(scope[:depth] + (base.id,))
                if found is not None:
                    return ('module', found, scope[:depth] + (base.id,))
            value = getattr(builtins, base.id, None)
            if isinstance(value, type):
                return ('builtin', value, None)
        return None

    def base_has(self, qualname, name, seen=None):
        """True/False, or None when some base cannot be resolved and none of the known ones has the name."""
        klass = self.by_qualname[qualname]
        seen = set() if seen is None else seen
        if qualname in seen:
            return False
        seen.add(qualname)
        unknown = False
        for base in klass.bases:
            resolved = self._resolve(base, qualname[:-1])
            if resolved is None:
                unknown = True
                continue
            kind, value, base_qualname = resolved
            if kind == 'builtin':
                if value is not object and hasattr(value, name):
                    return True
                continue
            # type.mro(klass)[1:-1]: every base but object; hasattr sees object's attributes through it.
            if name in self.own_names(value) or hasattr(object, name):
                return True
            deeper = self.base_has(base_qualname, name, seen)
            if deeper:
                return True
            if deeper is None:
                unknown = True
        return None if unknown else False

    def is_overridden(self, node, parents, name):
        """MutPy's AbstractOverriddenElementModification.is_overridden, statically; Skip where MutPy resigns."""
        if not parents or not isinstance(parents[-1], ast.ClassDef):
            raise Skip()
        qualname = []
        for parent in parents[1:]:
            if not isinstance(parent, ast.ClassDef):
                raise Skip()
            qualname.append(parent.name)
        if not isinstance(name, str):
            return False  # an unpacked target that is not a plain name (MutPy fails on it)
        answer = self.base_has(tuple(qualname), name)
        if answer is None:
            raise Skip()
        return answer


def is_super_call(function, stmt):
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Call)
        and isinstance(stmt.value.func, ast.Attribute)
        and isinstance(stmt.value.func.value, ast.Call)
        and isinstance(stmt.value.func.value.func, ast.Name)
        and stmt.value.func.value.func.id == 'super'
        and stmt.value.func.attr == function.name
    )


def super_call_index(function):
    for index, stmt in enumerate(function.body):
        if is_super_call(function, stmt):
            return index
    return None


def super_call_text(function):
    """MutPy's create_super_call (Python 3.5 variant): positional parameters after the first without defaults,
    then `name=default` for the ones with defaults (MutPy passes the default, not the parameter), keyword-only
    ones likewise (the parameter itself when it has no default), *args and **kwargs."""
    args = function.args
    positional = list(args.posonlyargs) + list(args.args)
    n_defaults = len(args.defaults)
    required = positional[1 : (len(positional) - n_defaults) if n_defaults else None]
    with_defaults = list(zip(positional[len(positional) - n_defaults :], args.defaults)) if n_defaults else []
    parts = [a.arg for a in required]
    if args.vararg:
        parts.append('*' + args.vararg.arg)
    posonly = {a.arg for a in args.posonlyargs}
    for arg, default in with_defaults:
        if arg is positional[0]:
            continue
        parts.append(ast.unparse(default) if arg.arg in posonly else '{}={}'.format(arg.arg, ast.unparse(default)))
    for arg, default in zip(args.kwonlyargs, args.kw_defaults):
        parts.append('{}={}'.format(arg.arg, ast.unparse(default) if default is not None else arg.arg))
    if args.kwarg:
        parts.append('**' + args.kwarg.arg)
    return 'super().{}({})'.format(function.name, ', '.join(parts))


# --- mutations ---------------------------------------------------------------------------------------------------


class Mutation:
    """One operator at one node with one replacement: how to change a fresh tree, and the text edits to try."""

    def __init__(self, operator, path, apply, candidates):
        self.operator = operator
        self.path = path  # the node the operator applies at
        self.apply = apply  # tree -> None (mutates the fresh tree in place)
        self.candidates = candidates  # () -> iterable of candidate full texts, smallest edit first


class Mutator:
    def __init__(self, text):
        self.text = text
        self.src = SourceText(text)
        self.tree = ast.parse(text)
        self.classes = ClassIndex(self.tree)

    # -- text helpers --

    def op_tokens(self, start, end, words):
        """The operator token(s) between two children: the first run of tokens spelling `words`."""
        tokens = self.src.tokens_between(start, end)
        for i in range(len(tokens) - len(words) + 1):
            if [t[0] for t in tokens[i : i + len(words)]] == words:
                return tokens[i][1], tokens[i + len(words) - 1][2]
        return None

    def wrap_variants(self, node, children, build):
        """Candidate replacements of `node`'s span: build(child_texts) with each subset of children wrapped in
        parentheses (none first), then the whole result in parentheses."""
        texts = [self.src.segment(c) for c in children]
        variants = []
        n = len(children)
        for mask in range(1 << n):
            wrapped = ['({})'.format(t) if mask >> i & 1 else t for i, t in enumerate(texts)]
            variants.append(build(wrapped))
        start, end = self.src.span(node)
        out = []
        for v in variants:
            out.append(splice(self.text, [(start, end, v)]))
        for v in variants:
            out.append(splice(self.text, [(start, end, '({})'.format(v))]))
        return out

    # -- mutation builders --

    def op_swap(self, operator, parent_path, parent, field, index, new_op):
        """Replace one operator (BinOp.op, AugAssign.op, Compare.ops[i], BoolOp.op) by `new_op`."""

        def apply(tree):
            target = node_at(tree, parent_path)
            if index is None:
                setattr(target, field, new_op())
            else:
                getattr(target, field)[index] = new_op()

        def candidates():
            old_op = getattr(parent, field) if index is None else getattr(parent, field)[index]
            old_words = OP_TEXT[type(old_op)].split()
            new_text = OP_TEXT[new_op]
            if isinstance(parent, ast.AugAssign):
                old_words = [OP_TEXT[type(old_op)] + '=']
                new_text = OP_TEXT[new_op] + '='
                regions = [(self.src.span(parent.target)[1], self.src.span(parent.value)[0])]
            elif isinstance(parent, ast.BinOp):
                regions = [(self.src.span(parent.left)[1], self.src.span(parent.right)[0])]
            elif isinstance(parent, ast.Compare):
                items = [parent.left] + parent.comparators
                regions = [(self.src.span(items[index])[1], self.src.span(items[index + 1])[0])]
            else:  # BoolOp: every connector
                regions = [
                    (self.src.span(a)[1], self.src.span(b)[0]) for a, b in zip(parent.values, parent.values[1:])
                ]
            edits = []
            for start, end in regions:
                found = self.op_tokens(start, end, old_words)
                if found is None:
                    edits = None
                    break
                edits.append((found[0], found[1], new_text))
            if edits:
                yield splice(self.text, edits)
            if isinstance(parent, ast.BinOp):
                sep = ' {} '.format(new_text)
                yield from self.wrap_variants(parent, [parent.left, parent.right], lambda t: t[0] + sep + t[1])
            elif isinstance(parent, ast.BoolOp):
                sep = ' {} '.format(new_text)
                yield from self.wrap_variants(parent, parent.values, lambda t: sep.join(t))

        return Mutation(operator, parent_path + ((field, index),), apply, candidates)

    def unary_swap(self, operator, path, node, new_op):
        def apply(tree):
            node_at(tree, path).op = new_op()

        def candidates():
            start, end = self.src.span(node)
            if self.text[start] in '+-':
                yield splice(self.text, [(start, start + 1, OP_TEXT[new_op])])
            operand = self.src.segment(node.operand)
            yield splice(self.text, [(start, end, '{}({})'.format(OP_TEXT[new_op], operand))])
            yield splice(self.text, [(start, end, '({}({}))'.format(OP_TEXT[new_op], operand))])

        return Mutation(operator, path, apply, candidates)

    def unary_delete(self, operator, path, node):
        def apply(tree):
            set_at(tree, path, node_at(tree, path).operand)

        def candidates():
            start, end = self.src.span(node)
            op_len = len(OP_TEXT[type(node.op)])
            rest = self.text[start + op_len : end].lstrip(' \t\\\r\n')
            yield splice(self.text, [(start, end, rest)])
            yield splice(self.text, [(start, end, '({})'.format(rest))])
            yield splice(self.text, [(start, end, '({})'.format(self.src.segment(node.operand)))])

        return Mutation(operator, path, apply, candidates)

    def negate_test(self, operator, path, node):
        def apply(tree):
            target = node_at(tree, path)
            target.test = ast.UnaryOp(op=ast.Not(), operand=target.test)

        def candidates():
            start, end = self.src.span(node.test)
            test = self.src.segment(node.test)
            yield splice(self.text, [(start, end, 'not ' + test)])
            yield splice(self.text, [(start, end, 'not ({})'.format(test))])

        return Mutation(operator, path, apply, candidates)

    def slice_remove(self, operator, path, node, part):
        def apply(tree):
            target = node_at(tree, path)
            setattr(target, part, None)

        def candidates():
            parts = {name: getattr(node, name) for name in ('lower', 'upper', 'step')}
            parts[part] = None
            start, end = self.src.span(node)
            for wrap in (False, True):
                texts = {}
                for name, value in parts.items():
                    if value is None:
                        texts[name] = ''
                    else:
                        seg = self.src.segment(value)
                        texts[name] = '({})'.format(seg) if wrap else seg
                rebuilt = texts['lower'] + ':' + texts['upper'] + (':' + texts['step'] if parts['step'] else '')
                yield splice(self.text, [(start, end, rebuilt)])

        return Mutation(operator, path, apply, candidates)

    def replace_statement(self, operator, path, node, new_node, text):
        def apply(tree):
            set_at(tree, path, new_node())

        def candidates():
            start, end = self.src.span(node)
            yield splice(self.text, [(start, end, text)])

        return Mutation(operator, path, apply, candidates)

    def handler_body(self, operator, path, node, new_stmt, text):
        def apply(tree):
            target = node_at(tree, path)
            target.body = [new_stmt()]

        def candidates():
            start = self.src.span(node.body[0])[0]
            end = self.src.span(node.body[-1])[1]
            yield splice(self.text, [(start, end, text)])

        return Mutation(operator, path, apply, candidates)

    def statement_lines(self, node):
        """Whole lines of a statement, decorators included: (start offset, end offset past the newline)."""
        first = min([node.lineno] + [d.lineno for d in getattr(node, 'decorator_list', [])])
        return self.src.line_start(first), self.src.line_end(node.end_lineno), first

    def constant(self, operator, path, node, value):
        def apply(tree):
            node_at(tree, path).value = value

        def candidates():
            start, end = self.src.span(node)
            yield splice(self.text, [(start, end, repr(value))])

        return Mutation(operator, path, apply, candidates)

    # -- MutPy's operators, by code --

    def mutations(self, operators):
        for code in operators:
            visit = getattr(self, 'visit_' + code)
            for node, path, parents in walk(self.tree):
                try:
                    yield from visit(node, path, parents)
                except Skip:
                    pass

    def _arith_op(self, code, node, path, parents, table, augmented):
        if not parents or path[-1][0] != 'op':
            return
        parent = parents[-1]
        if augmented is not None and isinstance(parent, ast.AugAssign) != augmented:
            return
        if not isinstance(parent, (ast.BinOp, ast.AugAssign)):
            return
        for new_op in table.get(type(node), []):
            yield self.op_swap(code, path[:-1], parent, 'op', None, new_op)

    def visit_AOR(self, node, path, parents):
        yield from self._arith_op('AOR', node, path, parents, NUMERIC_OPS, False)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            yield self.unary_swap('AOR', path, node, ast.UAdd if isinstance(node.op, ast.USub) else ast.USub)

    def visit_ASR(self, node, path, parents):
        yield from self._arith_op('ASR', node, path, parents, NUMERIC_OPS, True)

    def visit_LOR(self, node, path, parents):
        yield from self._arith_op('LOR', node, path, parents, BITWISE_OPS, None)

    def visit_AOD(self, node, path, parents):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
            yield self.unary_delete('AOD', path, node)

    def visit_LOD(self, node, path, parents):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            yield self.unary_delete('LOD', path, node)

    def _compare_op(self, code, node, path, parents, table):
        if not parents or not isinstance(parents[-1], ast.Compare) or path[-1][0] != 'ops':
            return
        for new_op in table.get(type(node), []):
            yield self.op_swap(code, path[:-1], parents[-1], 'ops', path[-1][1], new_op)

    def visit_ROR(self, node, path, parents):
        yield from self._compare_op('ROR', node, path, parents, RELATIONAL_OPS)

    def visit_COI(self, node, path, parents):
        if isinstance(node, (ast.If, ast.While)):
            yield self.negate_test('COI', path, node)
        yield from self._compare_op('COI', node, path, parents, {ast.In: [ast.NotIn]})

    def visit_COD(self, node, path, parents):
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
            yield self.unary_delete('COD', path, node)
        yield from self._compare_op('COD', node, path, parents, {ast.NotIn: [ast.In]})

    def visit_LCR(self, node, path, parents):
        if parents and isinstance(parents[-1], ast.BoolOp) and path[-1][0] == 'op':
            new_op = ast.Or if isinstance(node, ast.And) else ast.And
            yield self.op_swap('LCR', path[:-1], parents[-1], 'op', None, new_op)

    def visit_SIR(self, node, path, parents):
        if isinstance(node, ast.Slice):
            for part in ('lower', 'step', 'upper'):  # mutate_Slice_remove_lower, _step, _upper (dir() order)
                if getattr(node, part) is not None:
                    yield self.slice_remove('SIR', path, node, part)

    def visit_BCR(self, node, path, parents):
        if isinstance(node, ast.Break):
            yield self.replace_statement('BCR', path, node, ast.Continue, 'continue')
        elif isinstance(node, ast.Continue):
            yield self.replace_statement('BCR', path, node, ast.Break, 'break')

    def visit_EHD(self, node, path, parents):
        if isinstance(node, ast.ExceptHandler) and not isinstance(node.body[0], ast.Raise):
            yield self.handler_body('EHD', path, node, lambda: ast.Raise(exc=None, cause=None), 'raise')

    def visit_EXS(self, node, path, parents):
        if isinstance(node, ast.ExceptHandler) and not (len(node.body) == 1 and isinstance(node.body[0], ast.Pass)):
            yield self.handler_body('EXS', path, node, ast.Pass, 'pass')

    def visit_CRP(self, node, path, parents):
        if not isinstance(node, ast.Constant):
            return
        # Not inside f-strings (a changed format spec is not a constant change, and positions there are unreliable).
        if any(isinstance(p, ast.JoinedStr) for p in parents):
            return
        value = node.value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            yield self.constant('CRP', path, node, value + 1)
        elif isinstance(value, str):
            grandparent = parents[-2] if len(parents) >= 2 else None
            if is_docstring(node, parents[-1] if parents else None, grandparent):
                return
            yield self.constant('CRP', path, node, 'mutpy' if value != 'mutpy' else 'python')
            if value:
                yield self.constant('CRP', path, node, '')

    def visit_DDL(self, node, path, parents):
        if isinstance(node, ast.FunctionDef) and node.decorator_list:

            def apply(tree):
                node_at(tree, path).decorator_list = []

            def candidates():
                first = min(d.lineno for d in node.decorator_list)
                yield splice(self.text, [(self.src.line_start(first), self.src.line_start(node.lineno), '')])

            yield Mutation('DDL', path, apply, candidates)

    def _statement_to_pass(self, code, path, node):
        def apply(tree):
            set_at(tree, path, ast.Pass())

        def candidates():
            start, end, first = self.statement_lines(node)
            indent = self.src.indent_of(first)
            newline = re.search(r'\r\n|\r|\n', self.text[start:end])
            yield splice(self.text, [(start, end, indent + 'pass' + (newline.group(0) if newline else ''))])
            s, e = self.src.span(node)
            yield splice(self.text, [(s, e, 'pass')])

        return Mutation(code, path, apply, candidates)

    def visit_IHD(self, node, path, parents):
        if not isinstance(node, ast.Assign) or len(node.targets) > 1:
            return
        target = node.targets[0]
        if isinstance(target, ast.Name):
            if self.classes.is_overridden(node, parents, target.id):
                yield self._statement_to_pass('IHD', path, node)
        elif isinstance(target, ast.Tuple) and isinstance(node.value, ast.Tuple):
            keep = [
                i for i, element in enumerate(target.elts)
                if not self.classes.is_overridden(node, parents, getattr(element, 'id', None))
            ]
            if len(keep) == len(target.elts):
                return
            if not keep:
                yield self._statement_to_pass('IHD', path, node)
                return

            def apply(tree):
                stmt = node_at(tree, path)
                targets = [stmt.targets[0].elts[i] for i in keep]
                values = [stmt.value.elts[i] for i in keep]
                if len(keep) == 1:
                    stmt.targets = targets
                    stmt.value = values[0]
                else:
                    stmt.targets[0].elts = targets
                    stmt.value.elts = values

            def candidates():
                targets = ', '.join(self.src.segment(target.elts[i]) for i in keep)
                values = ', '.join(self.src.segment(node.value.elts[i]) for i in keep)
                start, end = self.src.span(node)
                yield splice(self.text, [(start, end, '{} = {}'.format(targets, values))])

            yield Mutation('IHD', path, apply, candidates)

    def visit_IOD(self, node, path, parents):
        if isinstance(node, ast.FunctionDef) and self.classes.is_overridden(node, parents, node.name):
            yield self._statement_to_pass('IOD', path, node)

    def _body_lines(self, function):
        """Each body statement as its whole lines, or None when statements share lines or sit on the def line."""
        lines = []
        previous_end = function.lineno
        for stmt in function.body:
            start, end, first = self.statement_lines(stmt)
            if first <= previous_end:
                return None
            lines.append((start, end))
            previous_end = stmt.end_lineno
        return lines

    def visit_IOP(self, node, path, parents):
        if not (isinstance(node, ast.FunctionDef) and parents and isinstance(parents[-1], ast.ClassDef)):
            return
        if len(node.body) <= 1:
            return
        index = super_call_index(node)
        if index is None:
            return

        def apply(tree):
            function = node_at(tree, path)
            call = function.body.pop(index)
            if index == 0:
                function.body.append(call)
            else:
                function.body.insert(0, call)

        def candidates():
            lines = self._body_lines(node)
            if lines is not None:
                start, end = lines[index]
                call = self.text[start:end]
                if not re.search(r'[\r\n]$', call):
                    call += '\n'
                without = splice(self.text, [(start, end, '')])
                if index == 0:
                    last_end = lines[-1][1] - (end - start)
                    body_tail = without[:last_end]
                    if not re.search(r'[\r\n]$', body_tail):
                        call = '\n' + call.rstrip('\r\n')
                    yield without[:last_end] + call + without[last_end:]
                else:
                    first_start = lines[0][0]
                    yield without[:first_start] + call + without[first_start:]

        yield Mutation('IOP', path, apply, candidates)

    def visit_SCD(self, node, path, parents):
        if not (isinstance(node, ast.FunctionDef) and parents and isinstance(parents[-1], ast.ClassDef)):
            return
        index = super_call_index(node)
        if index is None:
            return
        stmt = node.body[index]
        yield self.replace_statement('SCD', path + (('body', index),), stmt, ast.Pass, 'pass')

    def visit_SCI(self, node, path, parents):
        if not (isinstance(node, ast.FunctionDef) and parents and isinstance(parents[-1], ast.ClassDef)):
            return
        if not self.classes.is_overridden(node, parents, node.name):
            return
        if super_call_index(node) is not None:
            return
        call = super_call_text(node)

        def apply(tree):
            node_at(tree, path).body.insert(0, ast.parse(call).body[0])

        def candidates():
            first = node.body[0]
            start = self.src.span(first)[0]
            if first.lineno == node.lineno or self.text[self.src.line_start(first.lineno) : start].strip():
                yield splice(self.text, [(start, start, call + '; ')])
            else:
                line_start = self.src.line_start(first.lineno)
                indent = self.src.indent_of(first.lineno)
                yield splice(self.text, [(line_start, line_start, indent + call + '\n')])

        yield Mutation('SCI', path, apply, candidates)


def first_changed_line(original, mutant):
    a = original.splitlines()
    b = mutant.splitlines()
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return i + 1
    return min(len(a), len(b)) + 1 if len(a) != len(b) else 1


def scope_of(tree, path):
    """The longest proper prefix of `path` that ends at a statement (the module when none): the part of the tree a
    mutation at `path` can change."""
    node, best = tree, ()
    for depth, (field, index) in enumerate(path[:-1], start=1):
        node = getattr(node, field)
        if index is not None:
            node = node[index]
        if isinstance(node, ast.stmt):
            best = path[:depth]
    return best


def same_shape_to(tree, other, prefix):
    """Whether the lists along `prefix` have the same lengths in both trees (so the prefix names the same place)."""
    a, b = tree, other
    for field, index in prefix:
        a, b = getattr(a, field), getattr(b, field)
        if index is not None:
            if not isinstance(b, list) or len(a) != len(b):
                return False
            a, b = a[index], b[index]
    return type(a) is type(b)


def emit(mutator, mutation):
    """The mutant's text: the first candidate whose parse equals the mutated tree, compared on the statement that
    holds the mutation (and the shape of the path to it), else the whole mutated module printed by ast.unparse."""
    scope = scope_of(mutator.tree, mutation.path)
    expected_scope = Scoped(copy.deepcopy(node_at(mutator.tree, scope)), scope)
    mutation.apply(expected_scope)
    expected = dump(expected_scope.node)
    top_level = len(mutator.tree.body)
    for candidate in mutation.candidates():
        try:
            parsed = ast.parse(candidate)
        except (SyntaxError, ValueError):
            continue
        if len(parsed.body) == top_level and same_shape_to(mutator.tree, parsed, scope):
            if dump(node_at(parsed, scope)) == expected:
                return candidate, 'splice'
    tree = ast.parse(mutator.text)
    mutation.apply(tree)
    printed = ast.unparse(tree) + '\n'
    if dump(ast.parse(printed)) == dump(tree):
        return printed, 'unparse'
    raise AssertionError('no source for a {} mutant'.format(mutation.operator))


def syntax_error(error):
    return {
        'message': '{}: {}'.format(type(error).__name__, error.msg if isinstance(error, SyntaxError) else error),
        'line': getattr(error, 'lineno', None),
        'column': getattr(error, 'offset', None),
    }


def mutate(source, operators):
    try:
        mutator = Mutator(source)
    except (SyntaxError, ValueError) as error:
        return {'ok': False, 'error': syntax_error(error)}
    mutants = []
    for mutation in mutator.mutations(operators):
        text, how = emit(mutator, mutation)
        mutants.append(
            {'operator': mutation.operator, 'line': first_changed_line(source, text), 'source': text, 'emitted': how}
        )
    return {'ok': True, 'mutants': mutants}


def normalise(source):
    try:
        return {'ok': True, 'normalised': ast.unparse(ast.parse(source))}
    except (SyntaxError, ValueError) as error:
        return {'ok': False, 'error': syntax_error(error)}


OPERATORS = ['AOD', 'AOR', 'ASR', 'BCR', 'COD', 'COI', 'CRP', 'DDL', 'EHD', 'EXS', 'IHD', 'IOD', 'IOP', 'LCR',
             'LOD', 'LOR', 'ROR', 'SCD', 'SCI', 'SIR']


def main():
    if sys.version_info < (3, 9):
        sys.stderr.write('mutate.py needs Python >= 3.9 (ast.unparse, end positions)\n')
        return 2
    request = json.loads(sys.stdin.buffer.read().decode('utf-8', 'surrogatepass'))
    if request.get('op') == 'normalise':
        results = [normalise(s) for s in request['sources']]
    else:
        operators = request.get('operators') or OPERATORS
        unknown = [o for o in operators if o not in OPERATORS]
        if unknown:
            sys.stderr.write('unknown operators: {}\n'.format(', '.join(unknown)))
            return 2
        results = [mutate(s, operators) for s in request['sources']]
    sys.stdout.write(json.dumps({'results': results}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
