"""Vietnamese tone and offensive-language models; the public interface is ``postwatch.nlp.api``."""
