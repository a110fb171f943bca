"""The fixed reference data of the sample landing: sources, the phone catalogue, colours, stores, sellers."""

from __future__ import annotations

SOURCES_SQL = """
select * from (values
    ('noon',       'noon.com',          'competitor',  30),
    ('mobilemasr', 'mobilemasr.com',    'competitor',  20),
    ('dubizzle',   'dubizzle.com.eg',   'classifieds', 30),
    ('marketplace','phonepipe.market',  'marketplace', 12),
    ('amazon',     'amazon.eg',         'competitor',   8)
) as t(source, source_domain, source_type, weight)
"""

# brand, display brand, model (canonical), display model, arabic title, storages, ram, new price (EGP,
# smallest storage), popularity weight
PRODUCTS = [
    ("apple", "Apple", "iphone 11", "iPhone 11", "ايفون 11", [64, 128], 4, 19000, 6),
    ("apple", "Apple", "iphone 12", "iPhone 12", "ايفون 12", [64, 128, 256], 4, 24000, 6),
    ("apple", "Apple", "iphone 13", "iPhone 13", "ايفون 13", [128, 256, 512], 4, 30000, 8),
    ("apple", "Apple", "iphone 13 pro", "iPhone 13 Pro", "ايفون 13 برو", [128, 256, 512, 1024], 6, 38000, 8),
    ("apple", "Apple", "iphone 13 pro max", "iPhone 13 Pro Max", "ايفون 13 برو ماكس", [128, 256, 512], 6, 42000, 6),
    ("apple", "Apple", "iphone 14", "iPhone 14", "ايفون 14", [128, 256], 6, 36000, 6),
    (
        "apple",
        "Apple",
        "iphone 14 pro max",
        "iPhone 14 Pro Max",
        "ايفون 14 برو ماكس",
        [128, 256, 512, 1024],
        6,
        52000,
        7,
    ),
    ("apple", "Apple", "iphone 15", "iPhone 15", "ايفون 15", [128, 256, 512], 6, 45000, 6),
    ("apple", "Apple", "iphone 15 pro max", "iPhone 15 Pro Max", "ايفون 15 برو ماكس", [256, 512, 1024], 8, 68000, 7),
    ("apple", "Apple", "iphone se 2022", "iPhone SE 2022", "ايفون اس اي 2022", [64, 128], 4, 17000, 2),
    (
        "samsung",
        "Samsung",
        "galaxy s23 ultra",
        "Galaxy S23 Ultra",
        "سامسونج جالاكسي اس 23 الترا",
        [256, 512],
        12,
        48000,
        5,
    ),
    ("samsung", "Samsung", "galaxy s24", "Galaxy S24", "سامسونج جالاكسي اس 24", [128, 256], 8, 38000, 4),
    ("samsung", "Samsung", "galaxy a54", "Galaxy A54", "سامسونج جالاكسي ايه 54", [128, 256], 8, 15000, 6),
    ("samsung", "Samsung", "galaxy a15", "Galaxy A15", "سامسونج جالاكسي ايه 15", [128], 6, 7500, 6),
    ("samsung", "Samsung", "galaxy z fold 5", "Galaxy Z Fold5", "سامسونج زد فولد 5", [256, 512], 12, 70000, 2),
    ("samsung", "Samsung", "galaxy s22+", "Galaxy S22+", "سامسونج جالاكسي اس 22 بلس", [128, 256], 8, 26000, 3),
    (
        "xiaomi",
        "Xiaomi",
        "redmi note 13 pro+",
        "Redmi Note 13 Pro+",
        "شاومي ريدمي نوت 13 برو بلس",
        [256, 512],
        12,
        17000,
        5,
    ),
    ("xiaomi", "Xiaomi", "redmi 13c", "Redmi 13C", "شاومي ريدمي 13 سي", [128, 256], 6, 5500, 6),
    ("xiaomi", "Xiaomi", "poco x6 pro", "POCO X6 Pro", "بوكو اكس 6 برو", [256, 512], 12, 15000, 3),
    ("xiaomi", "Xiaomi", "13t pro", "13T Pro", "شاومي 13 تي برو", [512], 12, 30000, 2),
    ("oppo", "OPPO", "reno 11 f", "Reno 11 F", "اوبو رينو 11 اف", [256], 8, 14000, 3),
    ("realme", "realme", "11 pro+", "11 Pro+", "ريلمي 11 برو بلس", [256, 512], 12, 16000, 2),
    ("huawei", "HUAWEI", "nova 11i", "nova 11i", "هواوي نوفا 11 اي", [128], 8, 9000, 2),
    ("honor", "HONOR", "magic 6 pro", "Magic6 Pro", "هونر ماجيك 6 برو", [512], 12, 45000, 1),
    ("infinix", "Infinix", "note 30 pro", "Note 30 Pro", "انفينكس نوت 30 برو", [256], 8, 8000, 4),
    ("tecno", "TECNO", "spark 20 pro+", "Spark 20 Pro+", "تكنو سبارك 20 برو بلس", [256], 8, 8500, 3),
    ("google", "Google", "pixel 8 pro", "Pixel 8 Pro", "جوجل بيكسل 8 برو", [128, 256], 12, 40000, 1),
    ("oneplus", "OnePlus", "nord ce 3 lite", "Nord CE 3 Lite", "وان بلس نورد سي اي 3 لايت", [128, 256], 8, 11000, 1),
    ("nothing", "Nothing", "phone 2", "Phone (2)", "ناثينج فون 2", [256, 512], 12, 28000, 1),
    ("vivo", "vivo", "y36", "Y36", "فيفو واي 36", [128, 256], 8, 8000, 2),
]

COLORS = ["black", "white", "blue", "midnight", "silver", "gold", "green", "purple", "graphite", "red"]
STORES = [
    "noon",
    "Tech Hub EG",
    "Mobile Zone",
    "Smart Cell",
    "Cairo Phones",
    "El Masry Store",
    "2B Egypt",
    "Raya Shop",
    "B.TECH",
    "Dream 2000",
]
PEOPLE = [
    "Ahmed Hassan",
    "Mohamed Ali",
    "Mahmoud Said",
    "Omar Khaled",
    "Youssef Adel",
    "Mostafa Samir",
    "Karim Nabil",
    "Amr Fathy",
    "Sara Mostafa",
    "Nour Ahmed",
    "Hany Fawzy",
    "Tarek Lotfy",
    "محمد عبد الله",
    "احمد سمير",
    "مصطفى حسن",
    "ياسمين علي",
    "خالد ابراهيم",
    "عمرو فتحي",
]
