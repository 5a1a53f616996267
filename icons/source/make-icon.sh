#!/usr/bin/env bash
# Draws Topica's icon (topic bubbles linked by similarity) at 1024 px with ImageMagick, then
# generates every size Tauri bundles with `tauri icon`. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")"
/usr/bin/convert -size 1024x1024 xc:none \
  \( -size 928x928 gradient:'#24426e'-'#101f36' \) -geometry +48+48 -compose over -composite \
  \( -size 1024x1024 xc:none -fill white -draw "roundrectangle 48,48 975,975 200,200" \) -compose DstIn -composite \
  -compose over \
  -stroke '#9fb6d6' -strokewidth 18 -fill none \
  -draw "line 380,400 650,340" -draw "line 380,400 470,690" -draw "line 650,340 700,640" -draw "line 470,690 700,640" \
  -stroke none \
  -fill '#f2a541' -draw "circle 380,400 380,570" \
  -fill '#5cc8b0' -draw "circle 650,340 650,450" \
  -fill '#e4616b' -draw "circle 700,640 700,770" \
  -fill '#8fa8ff' -draw "circle 470,690 470,775" \
  -fill '#ffffff59' -draw "circle 300,330 300,368" \
  topica-1024.png
cd ../..
npx tauri icon icons/source/topica-1024.png -o icons
