"""Story vocabulary the policy reader still holds in code: chip families, outlets, countries.

These tables say what the story is about, not how sentences work; they move to the shared
lexicon files (extractors/lexicon/) and are imported from here only, so the switch is one
module.
"""

# vocabulary: moves to extractors/lexicon

from __future__ import annotations

OUTLETS = (
    r"Reuters|Bloomberg(?:\s+News)?|(?:the\s+)?Financial\s+Times|FT|(?:the\s+)?Wall\s+Street\s+"
    r"Journal|WSJ|(?:the\s+)?New\s+York\s+Times|NYT|(?:The\s+)?Information|Semafor|CNBC|CNN|"
    r"(?:the\s+)?South\s+China\s+Morning\s+Post|SCMP|Nikkei(?:\s+Asia)?|Axios|Politico|"
    r"Caixin|(?:the\s+)?Global\s+Times|Xinhua|(?:the\s+)?Washington\s+Post|"
    r"Tom['’]s\s+Hardware|WCCFtech|DigiTimes|(?:The\s+)?Verge|Associated\s+Press|AP|AFP|"
    r"(?:the\s+)?Guardian|BBC|Al\s+Jazeera|Quartz|Truth\s+Social|Yicai|21st\s+Century\s+"
    r"Business\s+Herald"
)


# Architecture names used as descriptors ("Hopper-class accelerators") refer to the member
# of that family the article is about.
FAMILIES = {
    "Hopper": ("H200", "H20", "H100", "H800", "GH200"),
    "Blackwell": ("B30A", "B200", "B300", "B100", "B40", "GB200", "GB200 NVL72", "GB300",
                  "RTX Pro 6000D"),
    "Ampere": ("A100", "A800", "A40"),
}


COUNTRIES = frozenset({"US", "China", "Japan", "Netherlands", "Taiwan", "South Korea", "EU",
                        "UAE", "Saudi Arabia", "Malaysia", "Singapore"})
