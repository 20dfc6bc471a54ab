#pragma once
// Controls in a dock that the mouse wheel changes only when they have the focus. Scrolling a
// dock over an unfocused spin box, slider or combo box once changed the value under the
// pointer (RoPE base model -> 500000, perplexity 4.70 -> 14.67, unnoticed); with the guard the
// wheel goes on to the enclosing scroll area, and a click (focus) makes the wheel work again.
class QWidget;

namespace anatomy::widgets {

// Guards every spin box, slider and combo box under root, now and added later.
void ignoreWheelUnlessFocused(QWidget* root);

}  // namespace anatomy::widgets
