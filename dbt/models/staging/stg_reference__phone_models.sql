-- Reference data of the product catalog: the release year of each model (model age is a pricing feature).
-- Kept in step with the sample generator's RELEASE_YEARS (test/pricing checks). A model missing here has a
-- null release year in dim_product.
select
    phone_models.brand,
    phone_models.model,
    cast(phone_models.release_year as integer) as release_year
from (
    values
    ('apple', 'iphone 11', 2019),
    ('apple', 'iphone 12', 2020),
    ('apple', 'iphone 13', 2021),
    ('apple', 'iphone 13 pro', 2021),
    ('apple', 'iphone 13 pro max', 2021),
    ('apple', 'iphone 14', 2022),
    ('apple', 'iphone 14 pro max', 2022),
    ('apple', 'iphone 15', 2023),
    ('apple', 'iphone 15 pro max', 2023),
    ('apple', 'iphone se 2022', 2022),
    ('samsung', 'galaxy s23 ultra', 2023),
    ('samsung', 'galaxy s24', 2024),
    ('samsung', 'galaxy a54', 2023),
    ('samsung', 'galaxy a15', 2023),
    ('samsung', 'galaxy z fold 5', 2023),
    ('samsung', 'galaxy s22+', 2022),
    ('xiaomi', 'redmi note 13 pro+', 2023),
    ('xiaomi', 'redmi 13c', 2023),
    ('xiaomi', 'poco x6 pro', 2024),
    ('xiaomi', '13t pro', 2023),
    ('oppo', 'reno 11 f', 2024),
    ('realme', '11 pro+', 2023),
    ('huawei', 'nova 11i', 2023),
    ('honor', 'magic 6 pro', 2024),
    ('infinix', 'note 30 pro', 2023),
    ('tecno', 'spark 20 pro+', 2024),
    ('google', 'pixel 8 pro', 2023),
    ('oneplus', 'nord ce 3 lite', 2023),
    ('nothing', 'phone 2', 2023),
    ('vivo', 'y36', 2023)
) as phone_models (brand, model, release_year)
