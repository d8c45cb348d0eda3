"""The 256 plain English words a fingerprint is spelled in: one word for each byte value.

Short, common, concrete words that sound unlike each other when read aloud, so two
partners can compare six of them over the phone. The order is fixed forever:
changing it would change every fingerprint (a test holds the list to 256 unique words).
"""

from __future__ import annotations

WORDS: tuple[str, ...] = (
    "acorn", "actor", "admit", "adult", "agent", "alarm", "album", "alley", "amber", "anchor",
    "angle", "ankle", "apple", "apron", "arrow", "attic", "autumn", "award", "bacon", "badge",
    "baker", "bamboo", "banjo", "barrel", "basil", "basket", "beach", "beard", "bench", "berry",
    "bicycle", "biscuit", "blanket", "blossom", "bonnet", "border", "bottle", "bounce",
    "branch", "bread", "breeze", "brick", "bridge", "bright", "broom", "bubble", "bucket",
    "buckle", "butter", "button", "cabin", "cactus", "camel", "candle", "canoe", "canvas",
    "carpet", "carrot", "castle", "cattle", "cellar", "cement", "cherry", "chess", "chimney",
    "circle", "clay", "cliff", "clock", "cloud", "clover", "coconut", "coffee", "collar",
    "comet", "copper", "coral", "corner", "cotton", "cousin", "cradle", "crayon", "cricket",
    "crystal", "cupboard", "curtain", "cushion", "daisy", "dancer", "desert", "diamond",
    "dinner", "doctor", "dolphin", "donkey", "dragon", "drawer", "dream", "drum", "eagle",
    "easel", "echo", "elbow", "ember", "engine", "falcon", "farmer", "feather", "fence",
    "fiddle", "finger", "forest", "fossil", "fountain", "fox", "garden", "garlic", "giant",
    "ginger", "glove", "goose", "grape", "gravel", "guitar", "hammer", "harbor", "harvest",
    "hazel", "helmet", "hermit", "honey", "hopper", "hunter", "igloo", "island", "ivory",
    "jacket", "jelly", "jigsaw", "jungle", "kettle", "kitten", "ladder", "lagoon", "lantern",
    "lemon", "letter", "lily", "lizard", "lobster", "locket", "magnet", "mango", "maple",
    "marble", "meadow", "melon", "mirror", "mitten", "monkey", "moose", "mosaic", "motor",
    "muffin", "museum", "needle", "nickel", "noodle", "nutmeg", "oak", "ocean", "olive",
    "onion", "orange", "orbit", "otter", "oyster", "paddle", "palace", "panda", "paper",
    "parrot", "peach", "pebble", "pencil", "pepper", "piano", "pickle", "pillow", "pilot",
    "planet", "plum", "pocket", "pony", "potato", "puddle", "puppet", "quilt", "rabbit",
    "radio", "raisin", "rocket", "saddle", "salmon", "sandal", "scarf", "shadow", "shell",
    "silver", "sketch", "sleigh", "slipper", "spider", "spoon", "squirrel", "stable", "stamp",
    "statue", "stove", "sugar", "summer", "sunset", "swan", "table", "teapot", "thimble",
    "thunder", "tiger", "timber", "toast", "tomato", "tractor", "tulip", "tunnel", "turnip",
    "turtle", "umbrella", "valley", "velvet", "violin", "wagon", "walnut", "walrus", "whistle",
    "willow", "window", "winter", "wizard", "wolf", "yarn", "yogurt", "zebra", "zipper",
    "meadowlark", "jasmine", "puffin",
)
