"""ccalls.py - the calls of named functions in C source, with their
arguments split at top-level commas (strings, chars and comments respected).
Used by check-literals (the lint) and by wrap, the tool that marked the
messages."""
import re

def _skip_string(s, i):
    q = s[i]
    i += 1
    while i < len(s) and s[i] != q:
        i += 2 if s[i] == '\\' else 1
    return i + 1

def strip_comments(s):
    """s with comments blanked (same length, newlines kept)."""
    out = list(s)
    i = 0
    while i < len(s):
        c = s[i]
        if c in '"\'':
            i = _skip_string(s, i)
        elif s.startswith('/*', i):
            j = s.find('*/', i + 2)
            j = len(s) if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != '\n':
                    out[k] = ' '
            i = j
        elif s.startswith('//', i):
            j = s.find('\n', i)
            j = len(s) if j < 0 else j
            for k in range(i, j):
                out[k] = ' '
            i = j
        else:
            i += 1
    return ''.join(out)

def calls(s, names):
    """Yield (name, start of name, [(arg_start, arg_end)], end) for each call
    of one of names in s (comments already blanked)."""
    pat = re.compile(r'\b(' + '|'.join(map(re.escape, names)) + r')\s*\(')
    for m in pat.finditer(s):
        if m.start() > 0 and (s[m.start() - 1].isalnum() or s[m.start() - 1] == '_'):
            continue
        i = m.end()
        depth = 0
        args = []
        start = i
        while i < len(s):
            c = s[i]
            if c in '"\'':
                i = _skip_string(s, i)
                continue
            if c in '([{':
                depth += 1
            elif c in ')]}':
                if depth == 0:
                    args.append((start, i))
                    break
                depth -= 1
            elif c == ',' and depth == 0:
                args.append((start, i))
                start = i + 1
            i += 1
        yield m.group(1), m.start(), args, i

LITERALS = re.compile(r'"(?:[^"\\\n]|\\.)*"(?:\s*"(?:[^"\\\n]|\\.)*")*')

def user_visible(literal_run):
    """Does a run of string literals say something in words (not just
    "%s", ": ", "\\n")?"""
    text = ''.join(re.findall(r'"((?:[^"\\]|\\.)*)"', literal_run))
    text = re.sub(r'%[-+ #0-9.*$]*[a-zA-Z]+', '', text)
    text = re.sub(r'\\.', '', text)
    return re.search(r'[A-Za-z]{2,}|[\u4e00-\u9fff]', text) is not None
