# IPython kernel settings for the book's chapters (conf.py points IPYTHONDIR here).
c = get_config()  # noqa: F821 - provided by IPython
c.InlineBackend.figure_formats = {"svg"}
c.InlineBackend.rc = {"figure.figsize": (6.4, 4.0), "savefig.facecolor": "white", "figure.facecolor": "white"}
