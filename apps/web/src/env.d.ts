// The web app runs in a browser; the rest of the repository type-checks against Node alone.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
