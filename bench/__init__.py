"""Speed measurements for the book: ``python -m bench`` (see ``bench/__main__.py``).

``bench.training`` trains the book's from-scratch MLP twice on the same machine, d2l-style
(torchvision + ``DataLoader``) and with ``d2lutils``, and relates both to the FLOP floor;
``bench.notebooks`` times executing every notebook and building the site.
"""
