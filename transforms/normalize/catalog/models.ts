/**
 * The product catalog, kept as data. One line per model:
 *
 *   <model> [= <alias>; <alias>] [| <storage GB> ...]
 *
 * `model` is the canonical lowercase marketing name without the brand word (docs/normalization.md);
 * aliases are other ways sellers write the same phone; storage lists the capacities sold (1024 = 1 TB).
 * Written from public knowledge of the makers' lineups (see PROVENANCE.md); no package data is used.
 */
export const CATALOG_SOURCE: Readonly<Record<string, string>> = {
  apple: `
iphone 6 | 16 32 64 128
iphone 6 plus | 16 64 128
iphone 6s | 16 32 64 128
iphone 6s plus | 16 32 64 128
iphone se = iphone se 2016; iphone se 1 | 16 32 64 128
iphone 7 | 32 128 256
iphone 7 plus | 32 128 256
iphone 8 | 64 128 256
iphone 8 plus | 64 128 256
iphone x = iphone 10 | 64 256
iphone xr | 64 128 256
iphone xs | 64 256 512
iphone xs max = iphone x max | 64 256 512
iphone 11 | 64 128 256
iphone 11 pro | 64 256 512
iphone 11 pro max | 64 256 512
iphone se 2020 = iphone se 2; iphone se 2nd generation; iphone se 2nd gen | 64 128 256
iphone 12 mini | 64 128 256
iphone 12 | 64 128 256
iphone 12 pro | 128 256 512
iphone 12 pro max | 128 256 512
iphone 13 mini | 128 256 512
iphone 13 | 128 256 512
iphone 13 pro | 128 256 512 1024
iphone 13 pro max | 128 256 512 1024
iphone se 2022 = iphone se 3; iphone se 3rd generation; iphone se 3rd gen | 64 128 256
iphone 14 | 128 256 512
iphone 14 plus | 128 256 512
iphone 14 pro | 128 256 512 1024
iphone 14 pro max | 128 256 512 1024
iphone 15 | 128 256 512
iphone 15 plus | 128 256 512
iphone 15 pro | 128 256 512 1024
iphone 15 pro max | 256 512 1024
iphone 16e | 128 256 512
iphone 16 | 128 256 512
iphone 16 plus | 128 256 512
iphone 16 pro | 128 256 512 1024
iphone 16 pro max | 256 512 1024
iphone 17 | 256 512
iphone air = iphone 17 air | 256 512 1024
iphone 17 pro | 256 512 1024
iphone 17 pro max | 256 512 1024 2048
`,
  samsung: `
galaxy s8 | 64
galaxy s8+ | 64 128
galaxy s9 | 64 128 256
galaxy s9+ | 64 128 256
galaxy s10e | 128 256
galaxy s10 | 128 512
galaxy s10+ | 128 512 1024
galaxy s10 lite | 128
galaxy s20 | 128
galaxy s20+ | 128 512
galaxy s20 ultra | 128 512
galaxy s20 fe | 128 256
galaxy s21 | 128 256
galaxy s21+ | 128 256
galaxy s21 ultra | 128 256 512
galaxy s21 fe | 128 256
galaxy s22 | 128 256
galaxy s22+ | 128 256
galaxy s22 ultra | 128 256 512 1024
galaxy s23 | 128 256 512
galaxy s23+ | 256 512
galaxy s23 ultra | 256 512 1024
galaxy s23 fe | 128 256
galaxy s24 | 128 256 512
galaxy s24+ | 256 512
galaxy s24 ultra | 256 512 1024
galaxy s24 fe | 128 256 512
galaxy s25 | 128 256 512
galaxy s25+ | 256 512
galaxy s25 ultra | 256 512 1024
galaxy s25 edge | 256 512
galaxy s25 fe | 128 256 512
galaxy note 8 | 64
galaxy note 9 | 128 512
galaxy note 10 | 256
galaxy note 10+ | 256 512
galaxy note 10 lite | 128
galaxy note 20 | 256
galaxy note 20 ultra | 256 512
galaxy z flip | 256
galaxy z flip 3 | 128 256
galaxy z flip 4 | 128 256 512
galaxy z flip 5 | 256 512
galaxy z flip 6 | 256 512
galaxy z flip 7 | 256 512
galaxy z flip 7 fe | 128 256
galaxy z fold 2 | 256
galaxy z fold 3 | 256 512
galaxy z fold 4 | 256 512 1024
galaxy z fold 5 | 256 512 1024
galaxy z fold 6 | 256 512 1024
galaxy z fold 7 | 256 512 1024
galaxy a01 | 16 32
galaxy a01 core | 16 32
galaxy a02 | 32 64
galaxy a02s | 32 64
galaxy a03 | 32 64 128
galaxy a03s | 32 64
galaxy a03 core | 32
galaxy a04 | 32 64 128
galaxy a04s | 32 64 128
galaxy a04e | 32 64 128
galaxy a05 | 64 128
galaxy a05s | 64 128
galaxy a06 | 64 128
galaxy a07 | 64 128
galaxy a10 | 32
galaxy a10s | 32
galaxy a11 | 32 64
galaxy a12 | 32 64 128
galaxy a13 | 32 64 128
galaxy a14 | 64 128
galaxy a15 | 128 256
galaxy a16 | 128 256
galaxy a17 | 128 256
galaxy a20 | 32
galaxy a20s | 32
galaxy a21s | 32 64 128
galaxy a22 | 64 128
galaxy a23 | 64 128
galaxy a24 | 128
galaxy a25 | 128 256
galaxy a26 | 128 256
galaxy a30 | 32 64
galaxy a30s | 64 128
galaxy a31 | 64 128
galaxy a32 | 64 128
galaxy a33 | 128
galaxy a34 | 128 256
galaxy a35 | 128 256
galaxy a36 | 128 256
galaxy a50 | 64 128
galaxy a50s | 128
galaxy a51 | 64 128
galaxy a52 | 128 256
galaxy a52s | 128 256
galaxy a53 | 128 256
galaxy a54 | 128 256
galaxy a55 | 128 256
galaxy a56 | 128 256
galaxy a57 | 128 256
galaxy a70 | 128
galaxy a71 | 128
galaxy a72 | 128 256
galaxy a73 | 128 256
galaxy a80 | 128
galaxy m01 | 32
galaxy m02 | 32
galaxy m11 | 32
galaxy m12 | 64 128
galaxy m13 | 64 128
galaxy m14 | 64 128
galaxy m15 | 128
galaxy m21 | 64 128
galaxy m22 | 128
galaxy m23 | 128
galaxy m31 | 64 128
galaxy m32 | 128
galaxy m33 | 128
galaxy m34 | 128
galaxy m35 | 128 256
galaxy m51 | 128
galaxy m52 | 128
galaxy m53 | 128
galaxy m54 | 256
galaxy m55 | 128 256
galaxy m56 | 128 256
galaxy f14 | 128
galaxy f15 | 128
galaxy f54 | 256
galaxy j2 prime | 8 16
galaxy j4 | 16 32
galaxy j5 prime | 16 32
galaxy j6 | 32 64
galaxy j7 prime | 16 32
galaxy j7 pro | 32 64
galaxy xcover 6 pro | 128
galaxy xcover 7 | 128
`,
  xiaomi: `
redmi note 8 | 32 64 128
redmi note 8 pro | 64 128
redmi note 9 | 64 128
redmi note 9s | 64 128
redmi note 9 pro | 64 128
redmi note 10 | 64 128
redmi note 10s | 64 128
redmi note 10 pro | 64 128
redmi note 11 | 64 128
redmi note 11s | 64 128
redmi note 11 pro | 128
redmi note 11 pro+ | 128 256
redmi note 12 | 64 128 256
redmi note 12s | 256
redmi note 12 pro | 128 256
redmi note 12 pro+ | 256
redmi note 12 turbo | 256 512
redmi note 13 | 128 256
redmi note 13 pro | 256 512
redmi note 13 pro+ | 256 512
redmi note 14 | 128 256
redmi note 14s | 256
redmi note 14 pro | 256 512
redmi note 14 pro+ | 256 512
redmi note 15 | 128 256
redmi note 15 pro | 256 512
redmi note 15 pro+ | 256 512
redmi 9 | 32 64
redmi 9a | 32
redmi 9c | 32 64 128
redmi 9t | 64 128
redmi 10 | 64 128
redmi 10a | 64 128
redmi 10c | 64 128
redmi 12 | 128 256
redmi 12c | 64 128
redmi 13 | 128 256
redmi 13c | 128 256
redmi 14c | 128 256
redmi 15 | 128 256
redmi 15c | 128 256
redmi a1 | 32
redmi a2 | 32 64
redmi a3 | 64 128
redmi a5 | 64 128
redmi k60 | 256 512
redmi k70 | 256 512
redmi turbo 3 | 256 512
poco x3 nfc | 64 128
poco x3 pro | 128 256
poco x4 pro | 128 256
poco x5 | 128 256
poco x5 pro | 128 256
poco x6 | 256 512
poco x6 pro | 256 512
poco x7 | 256 512
poco x7 pro | 256 512
poco f3 | 128 256
poco f4 | 128 256
poco f5 | 256
poco f5 pro | 256 512
poco f6 | 256 512
poco f6 pro | 256 512 1024
poco f7 | 256 512
poco f7 pro | 256 512
poco f7 ultra | 256 512
poco m3 | 64 128
poco m4 pro | 128 256
poco m5 | 64 128
poco m6 pro | 256 512
poco c40 | 64
poco c65 | 128 256
poco c75 | 128 256
mi 9 | 64 128
mi 9t = mi 9t pro | 64 128
mi 10 | 128 256
mi 10t | 128
mi 10t pro | 128 256
mi 11 | 128 256
mi 11 lite = 11 lite | 64 128
mi 11 ultra | 256 512
mi note 10 | 128
11t | 128 256
11t pro | 128 256
11 lite ne = 11 lite 5g ne; 11 lite ne 5g | 128 256
12 | 128 256
12 pro | 256
12t | 128 256
12t pro | 256
12 lite | 128 256
13 | 256
13 pro | 256 512
13 ultra | 256 512
13t | 256
13t pro | 512 1024
13 lite | 256
14 | 256 512
14 ultra | 512
14t | 256 512
14t pro | 512 1024
15 | 256 512
15 ultra | 512 1024
15t | 256 512
15t pro | 512 1024
mix flip | 512
`,
  oppo: `
a15 | 32 64
a15s | 64
a16 | 64 128
a16k | 32 64
a17 | 64 128
a17k | 64
a18 | 64 128
a38 | 128
a53 | 64 128
a54 | 64 128
a55 | 64 128
a57 | 64 128
a58 | 128 256
a60 | 128 256
a74 | 128
a76 | 128
a77 | 64 128
a77s | 128
a78 | 128 256
a79 | 256
a96 | 128
a98 | 256
a3x | 64 128
a3 pro | 256
a5 pro | 256
reno 2 | 256
reno 2f | 128
reno 3 | 128
reno 4 | 128
reno 5 | 128
reno 6 | 128
reno 7 | 128
reno 8 | 256
reno 8t | 256
reno 8 pro | 256
reno 10 | 256
reno 10 pro | 256
reno 10 pro+ | 256
reno 11 | 256
reno 11 f | 256
reno 11 pro | 512
reno 12 | 256 512
reno 12 f | 256
reno 12 pro | 512
reno 13 | 256 512
reno 13 f | 256
reno 13 pro | 512
reno 14 | 256 512
reno 14 f | 256
reno 14 pro | 512
find x3 pro | 256
find x5 pro | 256
find x6 pro | 256
find x7 ultra | 256 512
find x8 | 256 512
find x8 pro | 512
find n2 flip | 256
find n3 | 512
find n3 flip | 256
`,
  realme: `
5 | 64 128
6 | 64 128
7 | 64 128
7 pro | 128
8 | 128
8 pro | 128
9 | 128
9 pro | 128
9 pro+ | 128 256
10 | 128 256
10 pro | 256
10 pro+ | 256
11 | 256
11 pro | 256
11 pro+ | 256 512
12 | 256
12 pro | 256 512
12 pro+ | 256 512
12+ | 256
13 | 256
13 pro | 256 512
13 pro+ | 256 512
14 pro | 256 512
14 pro+ | 256 512
gt 2 pro | 256
gt 6 | 256 512
c11 | 32 64
c15 | 64 128
c21 | 32 64
c21y | 64
c25 | 64 128
c25s | 64 128
c30 | 32 64
c31 | 64
c33 | 64 128
c35 | 64 128
c51 | 128
c53 | 128 256
c55 | 128 256
c61 | 128 256
c63 | 128 256
c65 | 128 256
c67 | 256
c71 | 128 256
c75 | 256
note 50 | 64 128
note 60 | 64 128
narzo 50 | 128
`,
  huawei: `
p30 | 128
p30 pro | 128 256
p30 lite | 128
p40 | 128
p40 pro | 256
p40 lite | 128
p50 pro | 256
p60 pro | 256 512
pura 70 | 256
pura 70 pro | 512
pura 70 ultra | 512
mate 20 pro | 128
mate 30 pro | 256
mate 40 pro | 256
mate 50 pro | 256 512
mate 60 pro | 512
mate x3 | 512
y6p | 64
y7a | 128
y9a | 128
y9 prime 2019 | 64 128
y9 2019 | 64 128
nova 5t | 128
nova 7i | 128
nova 8i | 128
nova 9 | 128
nova 9 se | 128
nova 10 | 128 256
nova 10 pro | 256
nova 11 | 256
nova 11i | 128
nova 11 pro | 256
nova 12 | 256
nova 12i | 128
nova 12s | 256
nova 12 se | 256
nova 13 | 256 512
nova 13i | 128 256
nova 13 pro | 512
nova y61 | 64 128
nova y70 | 128
nova y71 | 128
nova y72 | 128 256
nova y90 | 128
nova y91 | 128 256
`,
  honor: `
x5 | 32
x5 plus | 64
x6 | 64
x6a | 128
x6b | 128 256
x7 | 128
x7a | 128
x7b | 128 256
x7c | 128 256
x8 | 128
x8a | 128
x8b | 128 256
x8c | 128 256
x9 | 128
x9a | 256
x9b | 256
x9c | 256 512
50 | 256
50 lite | 128
70 | 256
90 | 256 512
90 lite | 256
200 | 256 512
200 pro | 512
200 lite | 256
400 | 256 512
400 lite | 256
magic 4 pro | 256
magic 5 pro | 512
magic 5 lite | 256
magic 6 pro | 512
magic 6 lite | 256
magic 7 pro | 512
magic 7 lite | 512
magic v2 | 512
magic v3 | 512
`,
  infinix: `
hot 10 | 64 128
hot 10i | 64 128
hot 10s | 64 128
hot 11 | 64 128
hot 11s | 128
hot 12 | 128
hot 12i | 64
hot 12 play | 64
hot 20 | 128
hot 20i | 64 128
hot 20s | 128
hot 30 | 128 256
hot 30i | 128
hot 30 play | 64 128
hot 40 | 256
hot 40i | 128 256
hot 40 pro | 256
hot 50 | 256
hot 50i | 128 256
hot 50 pro | 256
hot 60 | 256
note 10 pro | 128 256
note 11 | 128
note 11 pro | 128
note 12 | 128
note 12 pro | 256
note 30 | 256
note 30i | 128 256
note 30 pro | 256
note 40 | 256
note 40 pro | 256
note 50 | 256
note 50 pro | 256
smart 6 | 32 64
smart 7 | 64
smart 8 | 64 128
smart 9 | 128
zero 30 | 256
zero 40 | 512
gt 10 pro | 256
gt 20 pro | 256
`,
  tecno: `
spark 8c | 64 128
spark 9 pro | 128
spark 10 | 128
spark 10c | 64 128
spark 10 pro | 128 256
spark 20 | 128 256
spark 20c | 128
spark 20 pro | 256
spark 20 pro+ | 256
spark 30 | 256
spark 30c | 128 256
spark 30 pro | 256
spark go 2023 | 32 64
spark go 2024 | 64 128
spark go 1 | 64 128
camon 19 | 128
camon 19 pro | 256
camon 20 | 256
camon 20 pro | 256
camon 30 | 256
camon 30 pro | 512
camon 40 | 256
pova 5 | 128 256
pova 6 pro | 256
pova neo 3 | 128
pop 7 | 64
pop 8 | 64 128
phantom x2 | 256
phantom v fold | 512
`,
  itel: `
a05s | 32 64
a60 | 32
a70 | 64 128
p40 | 64
p55 | 128 256
p65 | 128 256
s23 | 128
s24 | 128 256
vision 3 | 32 64
`,
  vivo: `
y02 | 32
y03 | 64 128
y11 | 32 64
y12 | 64
y15s | 32 64
y16 | 64 128
y17s | 64 128
y18 | 128
y19 | 128
y20 | 64
y21 | 64
y22 | 64 128
y27 | 128
y28 | 128 256
y29 | 128 256
y36 | 128 256
y100 | 256
v23 | 256
v25 | 256
v27 | 256
v29 | 256
v30 | 256
v30 lite | 256
v40 | 256
v40 lite | 256
v50 | 256 512
v50 lite | 256
x100 pro | 512
x200 pro | 512
`,
  nokia: `
105
106
3310
c12 | 64
c21 | 32
c22 | 64
c31 | 32 64
c32 | 64 128
g21 | 64 128
g22 | 128
g42 | 128
x30 | 128 256
`,
  google: `
pixel 4a | 128
pixel 5 | 128
pixel 5a | 128
pixel 6 | 128 256
pixel 6a | 128
pixel 6 pro | 128 256
pixel 7 | 128 256
pixel 7a | 128
pixel 7 pro | 128 256 512
pixel 8 | 128 256
pixel 8a | 128 256
pixel 8 pro | 128 256 512 1024
pixel 9 | 128 256
pixel 9a | 128 256
pixel 9 pro | 128 256 512 1024
pixel 9 pro xl | 128 256 512 1024
pixel 9 pro fold | 256 512
pixel 10 | 128 256
pixel 10 pro | 128 256 512 1024
pixel 10 pro xl | 256 512 1024
`,
  oneplus: `
7t | 128 256
8 | 128 256
8 pro | 128 256
8t | 128 256
9 | 128 256
9 pro | 128 256
10 pro | 128 256
10t | 128 256
11 | 128 256
12 | 256 512
12r | 128 256
13 | 256 512
13r | 256
nord | 128 256
nord 2 | 128 256
nord 2t | 128 256
nord 3 | 128 256
nord 4 | 256 512
nord ce | 128 256
nord ce 2 | 128
nord ce 2 lite | 128
nord ce 3 | 128 256
nord ce 3 lite | 128 256
nord ce 4 | 128 256
nord ce 4 lite | 256
nord n20 | 128
`,
  motorola: `
moto e13 | 64
moto e22 | 32 64
moto g14 | 128
moto g24 | 128
moto g32 | 128
moto g34 | 128
moto g54 | 256
moto g84 | 256
moto g85 | 256
edge 30 | 128
edge 40 | 256
edge 40 neo | 256
edge 50 pro | 512
edge 50 fusion | 256
razr 40 | 256
razr 40 ultra | 256
razr 50 ultra | 512
`,
  nothing: `
phone 1 | 128 256
phone 2 | 128 256 512
phone 2a | 128 256
phone 2a plus | 256
phone 3a | 128 256
phone 3a pro | 256
phone 3 | 256 512
`,
  sony: `
xperia 1 iv | 256
xperia 1 v | 256
xperia 5 iv | 128
xperia 5 v | 128
xperia 10 iv | 128
xperia 10 v | 128
`,
  zte: `
blade a31 | 32
blade a51 | 64
blade a72 | 64
blade v40 | 128
nubia neo 2 | 256
nubia a75 | 128
`,
  lenovo: `
k14 | 64
k14 plus | 128
k13 note | 128
legion phone duel 2 | 256
`,
};
