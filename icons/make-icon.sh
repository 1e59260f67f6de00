#!/usr/bin/env bash
# Draws the tracedesk app icon source (1024×1024 PNG): a rounded blue tile with three white QR
# finder marks, a short trail of code modules, and 追 in Noto Sans CJK Bold.
# Usage: make-icon.sh OUT.png   (needs ImageMagick 6 and fonts-noto-cjk)
set -euo pipefail
out=${1:?usage: make-icon.sh OUT.png}
font=/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc
S=1024
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Tile: diagonal gradient, rounded corners (about 20% radius), 40 px transparent margin.
convert -size 1400x1400 gradient:'#4d96ff'-'#0a3aa8' -distort SRT 45 -gravity center -crop ${S}x${S}+0+0 +repage "$tmp/grad.png"
convert -size ${S}x${S} xc:black -fill white -draw "roundrectangle 40,40 983,983 200,200" "$tmp/mask.png"
# A soft light from the top left gives depth without a hard band.
convert -size ${S}x${S} radial-gradient:'rgba(255,255,255,0.22)'-'rgba(255,255,255,0)' -distort SRT '1.3 0 -250,-250' "$tmp/glow.png"
convert "$tmp/grad.png" "$tmp/glow.png" -compose Over -composite "$tmp/mask.png" -alpha off -compose CopyOpacity -composite "$tmp/tile.png"

# A QR finder mark: 7×7 modules, ring of 1, gap of 1, core of 3.
finder() { # x y module
  local x=$1 y=$2 m=$3
  echo "fill white roundrectangle $x,$y $((x+7*m-1)),$((y+7*m-1)) $((m*3/2)),$((m*3/2))"
  echo "fill '#1d5ee6' roundrectangle $((x+m)),$((y+m)) $((x+6*m-1)),$((y+6*m-1)) $((m/2)),$((m/2))"
  echo "fill white roundrectangle $((x+2*m)),$((y+2*m)) $((x+5*m-1)),$((y+5*m-1)) $((m/2)),$((m/2))"
}
m=20
far=$((S-120-7*m))
mods=""
for xy in "784,784" "826,784" "868,784" "826,826" "868,826" "784,868" "868,868"; do
  x=${xy%,*}; y=${xy#*,}
  mods+="roundrectangle $x,$y $((x+33)),$((y+33)) 8,8 "
done
convert "$tmp/tile.png" \
  -draw "$(finder 120 120 $m)" -draw "$(finder $far 120 $m)" -draw "$(finder 120 $far $m)" \
  -fill 'rgba(255,255,255,0.9)' -draw "$mods" \
  "$tmp/base.png"

# 追, centred, over a soft shadow.
convert -size ${S}x${S} xc:none -font "$font" -pointsize 470 -fill 'rgba(0,16,70,0.45)' -gravity center \
  -annotate +6+12 '追' -blur 0x14 "$tmp/shadow.png"
convert "$tmp/base.png" "$tmp/shadow.png" -compose Over -composite \
  -font "$font" -pointsize 470 -fill white -gravity center -annotate +0-2 '追' \
  -strip "PNG32:$out"
