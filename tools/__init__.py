"""The book's own tooling (not part of d2lutils): facts about the book, notebook tools."""
