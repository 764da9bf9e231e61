#!/usr/bin/env python3
"""Turns a terminal capture with ANSI colours (`tmux capture-pane -e -p`) into
a standalone HTML page that a browser renders as the terminal showed it.

    ansi_to_html.py [--columns N] [--title T] < capture.txt > capture.html

Only what a captured pane holds is understood: SGR sequences (ESC [ ... m)
with the 16 colours, the 256-colour palette and 24-bit colours, bold, dim,
italic, underline and reverse. Any other escape sequence is dropped.
"""
import argparse
import html
import re
import sys

# xterm's default palette for the 16 basic colours.
BASIC_COLORS = [
    "#000000", "#cd0000", "#00cd00", "#cdcd00", "#0000ee", "#cd00cd",
    "#00cdcd", "#e5e5e5", "#7f7f7f", "#ff0000", "#00ff00", "#ffff00",
    "#5c5cff", "#ff00ff", "#00ffff", "#ffffff",
]
DEFAULT_FOREGROUND = "#e5e5e5"
DEFAULT_BACKGROUND = "#1c1c1c"
# A character cell of DejaVu Sans Mono at FONT_SIZE_PX; the page is sized
# from it so that the screenshot shows exactly the pane.
FONT_SIZE_PX = 14
CELL_WIDTH_PX = 8.43
LINE_HEIGHT_PX = 17
PADDING_PX = 8

ESCAPE = re.compile(r"\x1b\[([0-9;:?]*)([A-Za-z])|\x1b[()][0-9A-Za-z]|\x1b.")


def palette_color(index):
    """The colour of entry \\p index of the 256-colour palette."""
    if index < 16:
        return BASIC_COLORS[index]
    if index < 232:
        index -= 16
        steps = [0, 95, 135, 175, 215, 255]
        r, g, b = steps[index // 36], steps[index // 6 % 6], steps[index % 6]
        return f"#{r:02x}{g:02x}{b:02x}"
    level = 8 + (index - 232) * 10
    return f"#{level:02x}{level:02x}{level:02x}"


class Style:
    def __init__(self):
        self.reset()

    def reset(self):
        self.foreground = None
        self.background = None
        self.bold = self.dim = self.italic = self.underline = False
        self.reverse = False

    def key(self):
        return (self.foreground, self.background, self.bold, self.dim,
                self.italic, self.underline, self.reverse)

    def css(self):
        foreground, background = self.foreground, self.background
        if self.reverse:
            foreground, background = (background or DEFAULT_BACKGROUND,
                                      foreground or DEFAULT_FOREGROUND)
        rules = []
        if foreground:
            rules.append(f"color:{foreground}")
        if background:
            rules.append(f"background:{background}")
        if self.bold:
            rules.append("font-weight:bold")
        if self.dim:
            rules.append("opacity:0.7")
        if self.italic:
            rules.append("font-style:italic")
        if self.underline:
            rules.append("text-decoration:underline")
        return ";".join(rules)

    def apply(self, parameters):
        """Applies one SGR sequence's parameters ("1;38;5;208")."""
        # Sub-parameters (4:3 for a curly underline, 38:2::r:g:b) count as
        # their first number; a colour given that way is read in full.
        codes = parameters.split(";") if parameters else ["0"]
        i = 0
        while i < len(codes):
            parts = [int(p) if p.isdigit() else 0 for p in codes[i].split(":")]
            code = parts[0]
            i += 1
            if code in (38, 48, 58):
                if len(parts) > 1:
                    colour_args = list(parts[1:])
                    if colour_args[0] == 2 and len(colour_args) >= 5:
                        colour_args = [2] + colour_args[-3:]
                else:
                    take = 2 if i < len(codes) and codes[i] == "5" else 4
                    colour_args = [int(c) if c.isdigit() else 0
                                   for c in codes[i:i + take]]
                    i += take
                colour = None
                if colour_args and colour_args[0] == 5 and len(colour_args) > 1:
                    colour = palette_color(colour_args[1] % 256)
                elif colour_args and colour_args[0] == 2 and len(colour_args) > 3:
                    colour = "#%02x%02x%02x" % tuple(c % 256 for c in colour_args[1:4])
                if code == 38:
                    self.foreground = colour
                elif code == 48:
                    self.background = colour
                # 58, the underline's own colour, is not shown.
            elif code == 0:
                self.reset()
            elif code == 1:
                self.bold = True
            elif code == 2:
                self.dim = True
            elif code == 3:
                self.italic = True
            elif code == 4:
                self.underline = len(parts) == 1 or parts[1] != 0
            elif code == 7:
                self.reverse = True
            elif code == 22:
                self.bold = self.dim = False
            elif code == 23:
                self.italic = False
            elif code == 24:
                self.underline = False
            elif code == 27:
                self.reverse = False
            elif 30 <= code <= 37:
                self.foreground = BASIC_COLORS[code - 30]
            elif code == 39:
                self.foreground = None
            elif 40 <= code <= 47:
                self.background = BASIC_COLORS[code - 40]
            elif code == 49:
                self.background = None
            elif 90 <= code <= 97:
                self.foreground = BASIC_COLORS[code - 90 + 8]
            elif 100 <= code <= 107:
                self.background = BASIC_COLORS[code - 100 + 8]


def convert_line(line, style):
    """The HTML of one captured line; \\p style carries over to the next."""
    out = []
    position = 0

    def text(chunk):
        if not chunk:
            return
        css = style.css()
        escaped = html.escape(chunk)
        out.append(f'<span style="{css}">{escaped}</span>' if css else escaped)

    for match in ESCAPE.finditer(line):
        text(line[position:match.start()])
        position = match.end()
        if match.group(2) == "m":
            style.apply(match.group(1))
    text(line[position:])
    return "".join(out)


def convert(capture, columns, title):
    lines = capture.rstrip("\n").split("\n")
    style = Style()
    body = "\n".join(convert_line(line, style) for line in lines)
    width = round(columns * CELL_WIDTH_PX) + 2 * PADDING_PX
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>
html, body {{ margin: 0; background: {DEFAULT_BACKGROUND}; }}
pre {{ margin: 0; padding: {PADDING_PX}px; width: {width - 2 * PADDING_PX}px;
  color: {DEFAULT_FOREGROUND}; font-family: 'DejaVu Sans Mono', monospace;
  font-size: {FONT_SIZE_PX}px; line-height: {LINE_HEIGHT_PX}px;
  white-space: pre; overflow: hidden; }}
</style></head>
<body><pre>{body}</pre></body></html>
"""


def page_size(capture, columns):
    """The browser window (width, height) in pixels that shows the page whole."""
    rows = len(capture.rstrip("\n").split("\n"))
    return (round(columns * CELL_WIDTH_PX) + 2 * PADDING_PX,
            rows * LINE_HEIGHT_PX + 2 * PADDING_PX)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=100,
                        help="the pane's width in characters (default: 100)")
    parser.add_argument("--title", default="terminal")
    parser.add_argument("--print-size", action="store_true",
                        help="print the window size WIDTH,HEIGHT for the "
                             "browser instead of the page")
    args = parser.parse_args()
    # A terminal capture is UTF-8 whatever the locale says.
    capture = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    if args.print_size:
        print("%d,%d" % page_size(capture, args.columns))
    else:
        sys.stdout.buffer.write(
            convert(capture, args.columns, args.title).encode("utf-8"))


if __name__ == "__main__":
    main()
