<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>LessonHtml</name>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="19" />
        <source>Try:</source>
        <translation>试一试:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="22" />
        <source>Question:</source>
        <translation>问题:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="24" />
        <source>Answer:</source>
        <translation>答案:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="31" />
        <source>Step %1 of %2</source>
        <translation>第 %1 步,共 %2 步</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/controller/window_logic.cpp" line="47" />
        <source>position %1 “%2” · layer %3 · head %4 · %5 tokens</source>
        <translation>位置 %1 “%2” · 第 %3 层 · 第 %4 头 · %5 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/window_logic.cpp" line="68" />
        <source>the session's model %1 was not found</source>
        <translation>找不到会话的模型 %1</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../widgets/controller/decoding_controller.cpp" line="121" />
        <source>no strategy given (e.g. greedy; beam:4; temperature=0.8)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="64" />
        <location filename="../../widgets/controller/session_file.cpp" line="66" />
        <location filename="../../widgets/export/view_export.cpp" line="290" />
        <source>cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="90" />
        <source>%1: %2 bytes is too large for a session file (at most %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="94" />
        <source>cannot read the session: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="97" />
        <source>%1: too large for a session file (at most %2 bytes)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="100" />
        <source>%1: not JSON (%2 at byte %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="103" />
        <source>%1: format: expected "transformer-anatomy-session", got "%2"</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="106" />
        <source>%1: version: expected %2, got %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="112" />
        <source>%1: model.path is missing</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="115" />
        <source>%1: tokens: expected non-negative integers</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="133" />
        <source>%1: sampler.%2: expected a finite number</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="140" />
        <source>%1: sampler.seed: expected an unsigned integer string</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="145" />
        <source>%1: sampler.order: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="150" />
        <source>%1: threads: expected 0 (all cores) to %2, got %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="159" />
        <source>%1: architecture: expected "key=value" strings</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="164" />
        <source>%1: architecture: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="175" />
        <source>%1: perplexity: start and length must be whole numbers below 2^53</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="180" />
        <source>%1: perplexity: start &gt;= 0, length &gt;= 2 and context &gt;= 2 expected</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="202" />
        <location filename="../../widgets/export/view_export.cpp" line="227" />
        <source>nothing to save: the view has no size</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="209" />
        <location filename="../../widgets/export/view_export.cpp" line="235" />
        <location filename="../../widgets/export/view_export.cpp" line="276" />
        <location filename="../../widgets/export/view_export.cpp" line="283" />
        <source>cannot write %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="242" />
        <source>cannot write %1: this build has no SVG support (install qt6-svg-dev)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="262" />
        <source>unknown view '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="267" />
        <source>nothing to save: the view rendered no image</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="282" />
        <source>unsupported image type .%1 (use .%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="356" />
        <source>unknown view '%1' (known: %2, all)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="360" />
        <source>--export-data file must end in .csv: '%1'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="364" />
        <source>invalid size %1x%2 (64 to %3 px a side)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="366" />
        <source>screenshot file must end in .%1: '%2'</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="394" />
        <source>ANATOMY_SIM_SET: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="406" />
        <location filename="../../app/gui/main.cpp" line="65" />
        <source>timed out tracing with %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="407" />
        <location filename="../../app/gui/main.cpp" line="66" />
        <location filename="../../app/gui/main.cpp" line="146" />
        <source>cannot load %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="408" />
        <source>no trace produced for %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="26" />
        <source>unknown</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="35" />
        <source>Greedy (argmax)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="39" />
        <source>llama2.c default (T 1, top-p 0.9)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="43" />
        <source>Pure sampling (T 1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="49" />
        <source>Careful (T 0.7, top-k 40, penalty 1.1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="54" />
        <source>Hot with min-p (T 1.5, min-p 0.05)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="60" />
        <source>Temperature last (min-p 0.1, then T 1.5)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="45" />
        <source>Linear attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="46" />
        <source>Multi-query attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="47" />
        <source>Grouped-query attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="48" />
        <source>Multi-head attention</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="55" />
        <source>RoPE on q, k (base %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="59" />
        <source>, %1 s = %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="62" />
        <source>, dual chunk</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="65" />
        <source>ALiBi: − slope·|i − j| on the scores</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="66" />
        <source>no positions (NoPE)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="98" />
        <source>pre-norm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="99" />
        <source>post-norm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="100" />
        <source>sandwich norm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="102" />
        <source>DeepNorm (α = %1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="110" />
        <source>causal</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="111" />
        <source>bidirectional</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="112" />
        <source>prefix-LM (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="116" />
        <source>, sliding window %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="118" />
        <source>, %1 sinks + window %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="121" />
        <source>, window %1 + stride %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="123" />
        <source>, dual chunks of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="124" />
        <source>, shifted groups of %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="165" />
        <source>%1 layers · d_model %2 · %3 heads (%4 KV) · d_k %5 · FFN %6 · vocab %7 · context %8</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="168" />
        <source>as trained (no knob changed)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="169" />
        <source>knobs: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="205" />
        <source>tokens (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="209" />
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="206" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="95" />
        <source>vocab %1 × d %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="208" />
        <source>+ positions + token type%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="208" />
        <source>, LayerNorm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="213" />
        <source>Layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="213" />
        <source>Layers %1–%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="214" />
        <source>MoE %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="221" />
        <source>%1 q / %2 kv heads</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="230" />
        <source>encoder · </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="231" />
        <source>mean of the %1 tokens' states</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="232" />
        <source>the [CLS] token's state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="233" />
        <source>the last token's state</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="234" />
        <source>none: one vector per token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="235" />
        <source>Pooling (%1), no LM head</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="236" />
        <source>e / Ů‖₂</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="237" />
        <source>sentence embedding (d %1) → similarity</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="240" />
        <source>Final %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="243" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="105" />
        <source>Classifier</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="244" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="106" />
        <source>d %1 → %2, %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="245" />
        <source>tied to the embedding</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="245" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="107" />
        <source>own weights</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="247" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="109" />
        <source>logits → sampling</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="262" />
        <source>Layer %1: residual stream x, d %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="299" />
        <source>gain 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="299" />
        <source>ε %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="324" />
        <source>φ(q)·φ(k) weights, φ = elu + 1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="325" />
        <source>softmax(q·k / √%1%2) · v</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="327" />
        <source> × %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="330" />
        <source>%1 query heads, 1 KV head, d_k %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="331" />
        <source>%1 query heads, %2 KV heads, d_k %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="334" />
        <source>mask: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="334" />
        <source>positions: learned, added to the embedding</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="335" />
        <source>Wq %1→%2, Wk Wv %1→%3, Wo %2→%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="337" />
        <source>%1 head(s) ablated or gated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="343" />
        <source>Mixture of experts (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="345" />
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="346" />
        <source>Feed-forward, %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="347" />
        <source>W2 (%1(W1 h) ⊙ W3 h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="348" />
        <source>W2 %1(W1 h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="349" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="161" />
        <source>d %1 → %2 → %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="351" />
        <source>%1 experts, top-%2 per token, router score cₑ·x</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="371" />
        <source>α x + F(x), α = %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="47" />
        <source>future (causal)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="48" />
        <source>after the prefix</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="49" />
        <source>outside window</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="50" />
        <source>not sink/window</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="51" />
        <source>off the stride</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="52" />
        <source>other group</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="53" />
        <source>out of range</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="90" />
        <source>attention probability</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="91" />
        <source>score %1 (before softmax)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="92" />
        <source>probability (log scale)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="93" />
        <source>probability B − A (pinned)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="48" />
        <location filename="../../app/gui/main.cpp" line="80" />
        <source>--size %1x%2 is smaller than the window's minimum %3x%4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="88" />
        <source>timed out loading the model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="90" />
        <source>timed out entering step %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="172" />
        <source>no repaint after a settings change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="181" />
        <source>no repaint after a prompt change</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="264" />
        <source>--export-data needs one view (the window has no data of its own)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="266" />
        <source>--export-data cannot export a lesson slide</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="28" />
        <source>GeGLU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="28" />
        <source>ReLU FFN</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="42" />
        <source>encoder-decoder · %1 + %1 layers · d %2 · %3 heads · d_kv %4 · FFN %5 · vocab %6</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="46" />
        <source>as trained (the simulator's knobs are for decoder-only models)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="78" />
        <source>input tokens (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="79" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="94" />
        <source>Embedding (shared)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="80" />
        <source>vocab %1 × d %2, no positions</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="83" />
        <source>Encoder layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="84" />
        <source>bidirectional self-attn + bias · %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="86" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="104" />
        <source>Final RMS norm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="87" />
        <source>encoder output e</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="88" />
        <source>%1 × d %2, read by every decoder layer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="92" />
        <source>output tokens (%1, from start %2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="98" />
        <source>Decoder layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="99" />
        <source>self-attn + bias · cross-attn · %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="107" />
        <source>tied, unscaled</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="136" />
        <source>Decoder layer %1: residual stream x, d %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="150" />
        <source>softmax(q·k + B[bucket(j − i), h]) · v, no 1/↭_k</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="152" />
        <source>Self-attention (causal)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="153" />
        <source>%1 heads, d_kv %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="154" />
        <source>relative bias: %1 buckets, max distance %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="156" />
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="157" />
        <source>q from x; k, v from e (once)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="157" />
        <source>softmax(q·k)·v, %1 keys</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="159" />
        <source>Feed-forward, gated GELU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="159" />
        <source>Feed-forward, ReLU</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="160" />
        <source>W2 (GELU(W1 h) ⊙ W3 h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="160" />
        <source>W2 ReLU(W1 h)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="176" />
        <source>RMS norm</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="177" />
        <source>no mean, no bias</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="202" />
        <source>e</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="203" />
        <source>encoder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="66" />
        <source>The Embedding view is for encoders (bert, e.g. bge-small or all-MiniLM): %1 is a decoder; its output is the next-token distribution (see Sampling).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="73" />
        <source>%1 pools nothing (bert.pooling_type none): one vector per token, no sentence embedding.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="75" />
        <source>No embedding in this trace.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="92" />
        <source>Type sentences in the box, one per line, to compare them.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="47" />
        <source>%1 is an encoder: it has no LM head to read its layers through (no logit lens).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="180" />
        <source>%1 is an encoder: it has no LM head, so no next-token distribution to sample (its output is the pooled embedding: see the Embedding view).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="87" />
        <source>step</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>anatomy::gui::MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="68" />
        <source>Transformer Anatomy</source>
        <translation>Transformer 解剖</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="204" />
        <source>Type a prompt; every view follows as you type.</source>
        <translation>输入提示词;所有视图随输入实时更新。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="213" />
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="214" />
        <source>Sample new tokens with the current settings (Ctrl+Return)</source>
        <translation>用当前设置采样新词元(Ctrl+Return)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="218" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="219" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="220" />
        <source>Sample one token (Ctrl+Space)</source>
        <translation>采样一个词元(Ctrl+Space)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="221" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="222" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="223" />
        <source>Back to the prompt before generating (Ctrl+R)</source>
        <translation>回到生成前的提示词(Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="225" />
        <source>Colour by surprisal</source>
        <translation>按惊奇度着色</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="226" />
        <source>Colour by probability</source>
        <translation>按概率着色</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="284" />
        <source>Beside ▸</source>
        <translation>并排 ▸</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="285" />
        <source>Show this view in a second pane beside the others</source>
        <translation>在旁边的第二个窗格中显示此视图</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="292" />
        <source>◂ Back</source>
        <translation>◂ 返回</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="293" />
        <source>Move this view back to the main pane</source>
        <translation>把此视图移回主窗格</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="383" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="411" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="412" />
        <source>&amp;Open session…</source>
        <translation>打开会话(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="413" />
        <source>&amp;Save session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="417" />
        <source>&amp;Export view image…</source>
        <translation>导出视图图像(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="418" />
        <source>Export view &amp;data (CSV)…</source>
        <translation>导出视图数据(CSV)(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="420" />
        <source>&amp;Copy view</source>
        <translation>复制视图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="422" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="424" />
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="425" />
        <source>&amp;Open model file…</source>
        <translation>打开模型文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="426" />
        <source>Model &amp;manager…</source>
        <translation>模型管理器(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="428" />
        <location filename="../../app/gui/main_window.cpp" line="429" />
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="430" />
        <source>&amp;Step one token</source>
        <translation>单步生成一个词元(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="431" />
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="432" />
        <source>&amp;Reset to prompt</source>
        <translation>重置为提示词(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="434" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="436" />
        <source>&amp;Show view</source>
        <translation>显示视图(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="437" />
        <source>View &amp;beside</source>
        <translation>并排视图(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="443" />
        <source>&amp;None (one pane)</source>
        <translation>无(单窗格)(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="451" />
        <source>&amp;Hide docks</source>
        <translation>隐藏停靠窗(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="457" />
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="461" />
        <source>&amp;Pin trace as A</source>
        <translation>把追踪固定为 A(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="462" />
        <source>&amp;Compare with A</source>
        <translation>与 A 比较(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="468" />
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="480" />
        <source>&amp;Navigate</source>
        <translation>导航(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="487" />
        <source>Previous position</source>
        <translation>上一个位置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="488" />
        <source>Next position</source>
        <translation>下一个位置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="489" />
        <source>Previous layer</source>
        <translation>上一层</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="490" />
        <source>Next layer</source>
        <translation>下一层</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="491" />
        <source>Previous head</source>
        <translation>上一个头</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="492" />
        <source>Next head</source>
        <translation>下一个头</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="519" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="520" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="521" />
        <source>About Transformer Anatomy</source>
        <translation>关于 Transformer 解剖</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="522" />
        <source>&lt;b&gt;Transformer Anatomy&lt;/b&gt;&lt;br&gt;Small real language models on the CPU, with their internals drawn live.&lt;br&gt;&lt;br&gt;Keys: ←/→ position, ↑/↓ layer, PgUp/PgDn or [ ] head, F5 presentation mode.</source>
        <translation>&lt;b&gt;Transformer 解剖&lt;/b&gt;&lt;br&gt;在 CPU 上运行的小型真实语言模型,实时绘制其内部。&lt;br&gt;&lt;br&gt;按键:←/→ 位置,↑/↓ 层,PgUp/PgDn 或 [ ] 头,F5 演示模式。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="529" />
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="536" />
        <source>Wall time of the forward pass behind the picture</source>
        <translation>生成此图的前向计算耗时</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="537" />
        <source>Decoding speed of the last generation</source>
        <translation>上次生成的解码速度</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="541" />
        <source>Perplexity on the TinyStories window chosen in the Architecture dock (text: TinyStories, CDLA-Sharing-1.0)</source>
        <translation>在“架构”停靠窗所选 TinyStories 窗口上的困惑度(文本:TinyStories,CDLA-Sharing-1.0)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="554" />
        <source>Trace failed: %1</source>
        <translation>追踪失败:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="556" />
        <source>trace %1 ms</source>
        <translation>追踪 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="565" />
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="566" />
        <source>Generated %1 tokens</source>
        <translation>已生成 %1 个词元</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="594" />
        <source>ppl: failed</source>
        <translation>困惑度:失败</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="600" />
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="633" />
        <source>ppl computing…</source>
        <translation>困惑度计算中…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="651" />
        <source>ANATOMY_SIM_SET: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="656" />
        <location filename="../../app/gui/main_window.cpp" line="976" />
        <location filename="../../app/gui/main_window.cpp" line="985" />
        <source>loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="681" />
        <source>KV cost of %1 not measured: %2</source>
        <translation>%1 的 KV 代价未测得:%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="765" />
        <source>Transformer Anatomy — %1</source>
        <translation>Transformer 解剖 — %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="778" />
        <location filename="../../app/gui/main_window.cpp" line="994" />
        <source>no model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="779" />
        <source>Cannot load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="885" />
        <source>Pinned as A: %1 tokens, %2</source>
        <translation>已固定为 A:%1 个词元,%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="910" />
        <source>A: %1</source>
        <translation>A:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="911" />
        <source>The pinned trace A (%1); the main pane shows the current trace B</source>
        <translation>固定的追踪 A(%1);主窗格显示当前追踪 B</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="973" />
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="974" />
        <source>Models (*.bin *.gguf);;All files (*)</source>
        <translation>模型 (*.bin *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1000" />
        <location filename="../../app/gui/main_window.cpp" line="1031" />
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1:%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1027" />
        <source>Warning: %1 differs from the file the session was saved with (sha256 %2, saved %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1057" />
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1058" />
        <location filename="../../app/gui/main_window.cpp" line="1065" />
        <source>Anatomy sessions (*.anatomy.json *.json)</source>
        <translation>Anatomy 会话 (*.anatomy.json *.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1060" />
        <source>Cannot open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1064" />
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1068" />
        <source>Cannot save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1069" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1075" />
        <source>Export view image</source>
        <translation>导出视图图像</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1092" />
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1093" />
        <source>Size (pixels)</source>
        <translation>尺寸(像素)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1101" />
        <source>Export image</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1103" />
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1104" />
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1110" />
        <location filename="../../app/gui/main_window.cpp" line="1120" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1111" />
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1117" />
        <source>Export %1 data</source>
        <translation>导出 %1 数据</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1118" />
        <source>CSV (*.csv)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1127" />
        <source>Copied %1 (image and CSV)</source>
        <translation>已复制 %1(图像和 CSV)</translation>
    </message>
</context>
<context>
    <name>anatomy::gui::WindowLessons</name>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="45" />
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="90" />
        <source>Open &amp;lesson…</source>
        <translation>打开课程(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="91" />
        <source>Lesso&amp;ns</source>
        <translation>课程列表(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="102" />
        <source> (broken)</source>
        <translation>(已损坏)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="105" />
        <location filename="../../app/gui/window_lessons.cpp" line="146" />
        <source>Cannot open the lesson</source>
        <translation>无法打开课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="109" />
        <source>&amp;New lesson</source>
        <translation>新建课程(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="110" />
        <source>Untitled lesson</source>
        <translation>未命名课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="118" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="122" />
        <source>System (%1)</source>
        <translation>系统(%1)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="135" />
        <source>Lessons are shown in the new language now; the interface follows when the app starts again.</source>
        <translation>课程已切换到新语言;界面将在下次启动时切换。</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="144" />
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="144" />
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="196" />
        <source>Lesson: %1</source>
        <translation>课程:%1</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ActivationView</name>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="73" />
        <source>FFN activation: silu (as trained)</source>
        <translation>FFN 激活:silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="74" />
        <source>FFN activation: %1 against silu (as trained)</source>
        <translation>FFN 激活:%1 对比 silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="77" />
        <source>FFN(x) = W₂ (f(W₁x) ⊙ W₃x)   ·   max |f − silu| on [Ω, 6]: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="93" />
        <source>silu (trained)</source>
        <translation>silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="129" />
        <source>value f(x)</source>
        <translation>值 f(x)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="129" />
        <source>f(x)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="130" />
        <source>derivative f′(x)</source>
        <translation>导数 f′(x)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="130" />
        <source>f′(x)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.h" line="36" />
        <source>Activations</source>
        <translation>激活</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ArchitecturePanel</name>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="100" />
        <source>Reset to as trained</source>
        <translation>恢复为训练时的设置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="101" />
        <source>Every knob back to the checkpoint's own architecture</source>
        <translation>所有旋钮恢复为检查点自身的架构</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="115" />
        <source>Perplexity on TinyStories</source>
        <translation>TinyStories 上的困惑度</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="270" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="271" />
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="276" />
        <source>Pick</source>
        <translation>选取</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="283" />
        <source>Ablate (zero)</source>
        <translation>消融(置零)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="284" />
        <source>Ablate (mean)</source>
        <translation>消融(均值)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="301" />
        <source>Gate</source>
        <translation>门控</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="305" />
        <source>Gate logit</source>
        <translation>门控 logit</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="310" />
        <source>g %1 → σ %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="318" />
        <source>Active</source>
        <translation>生效中</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="320" />
        <source>Remove selected</source>
        <translation>移除所选</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="321" />
        <source>Remove all</source>
        <translation>全部移除</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="343" />
        <source>no model yet</source>
        <translation>尚无模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="359" />
        <source>from </source>
        <translation>从 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="363" />
        <source>length </source>
        <translation>长度 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="365" />
        <location filename="../../widgets/panels/architecture_panel.cpp" line="596" />
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="365" />
        <location filename="../../widgets/panels/architecture_panel.cpp" line="596" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="377" />
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="381" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="383" />
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="434" />
        <source>zero-ablated</source>
        <translation>置零消融</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="435" />
        <source>mean-ablated</source>
        <translation>均值消融</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="437" />
        <source>gated, g = %1 (×%2)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="441" />
        <source>L%1 H%2 %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="443" />
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="502" />
        <source>&lt;p&gt;&lt;b&gt;Not for this model:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;不适用于此模型:&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="544" />
        <source>&lt;b&gt;In use:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;使用中:&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="553" />
        <source>Not applied: %1 (the views keep the last valid settings)</source>
        <translation>未应用:%1(视图保留上一次有效的设置)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="589" />
        <source>computing</source>
        <translation>计算中</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="589" />
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="597" />
        <source>%1 predictions in %2 windows of %3 tokens (%4 %5–%6 of %7). Text: TinyStories, CDLA-Sharing-1.0.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="607" />
        <source> In context %1, beyond the trained %2 tokens %3.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="616" />
        <source>ppl: %1</source>
        <translation>困惑度:%1</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ArchitectureView</name>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="205" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请让模型运行一段文本。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="217" />
        <source>knobs</source>
        <translation>旋钮</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="269" />
        <source>query heads, coloured by the KV head they read</source>
        <translation>查询头,按其读取的 KV 头着色</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="272" />
        <source>experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="282" />
        <source>knob</source>
        <translation>旋钮</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="312" />
        <source>&lt;br&gt;&lt;i&gt;click: open this layer&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;点击:打开此层&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="313" />
        <source>&lt;br&gt;&lt;i&gt;click: open the %1 view&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;点击:打开 %1 视图&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.h" line="19" />
        <source>Diagram</source>
        <translation>结构图</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::AttentionStepsView</name>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="224" />
        <source>Layer %1 · head %2 (KV head %3) · query %4 “%5” · d_k = %6</source>
        <translation>第 %1 层 · 第 %2 头(KV 头 %3)· 查询 %4 “%5” · d_k = %6</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="227" />
        <source> × %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="228" />
        <source> − ALiBi slope·|i−j|</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="231" />
        <source>s&lt;sub&gt;j&lt;/sub&gt; = q·k&lt;sub&gt;j&lt;/sub&gt; ÷ √%1 (= %2)%3%4, masked keys −∞ &amp;nbsp;→&amp;nbsp; p&lt;sub&gt;j&lt;/sub&gt; = e&lt;sup&gt;s&lt;sub&gt;j&lt;/sub&gt; − max s&lt;/sup&gt; / Σ e &amp;nbsp;→&amp;nbsp; o = Σ&lt;sub&gt;j&lt;/sub&gt; p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="237" />
        <source>&lt;br&gt;Key read most, %1 “%2”: q·k = %3 → ÷√%4 = %5 → e&lt;sup&gt;%6&lt;/sup&gt; = %7 → ÷ %8 = &lt;b&gt;p %9&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="244" />
        <source>Linear attention: no softmax. p&lt;sub&gt;j&lt;/sub&gt; = φ(q)·φ(k&lt;sub&gt;j&lt;/sub&gt;) / Σ φ(q)·φ(k), φ = elu + 1; o = Σ p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="248" />
        <source>Why ÷↭_k: this head's q·k over %1 (query, key) pairs has variance %2; ÷√%3 brings it to %4. </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="252" />
        <source>Without it this query's softmax would put %1 on one key (entropy %2 bits) instead of %3 (%4 bits).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="256" />
        <source> The trace's scores differ from q·k/↭_k by up to %1 here (dual chunk attention rotates q per key chunk).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="263" />
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="263" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="263" />
        <source>q·k</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="263" />
        <source>÷↭_k</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="263" />
        <source>score s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="264" />
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="264" />
        <source>e^(s−max)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="264" />
        <source>p</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="302" />
        <source>Σ (%1 keys seen)</source>
        <translation>Σ(可见 %1 个键)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="329" />
        <source>vector</source>
        <translation>向量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="331" />
        <source>… %1 more, ‖·‖</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="331" />
        <source>‖·‖</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="336" />
        <source>q (query %1)</source>
        <translation>q(查询 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="337" />
        <source>k (key %1)</source>
        <translation>k(键 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="338" />
        <source>v (key %1)</source>
        <translation>v(键 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="339" />
        <source>o = Σ pⱼ vⱼ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="374" />
        <source>Var(q·k) against dₖ</source>
        <translation>Var(q·k) 随 dₖ 的变化</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="380" />
        <location filename="../../widgets/views/attention_steps_view.cpp" line="417" />
        <source>head size dₖ</source>
        <translation>头维度 dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="381" />
        <source>variance</source>
        <translation>方差</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="384" />
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="384" />
        <source>random, q·k</source>
        <translation>随机,q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="386" />
        <source>÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="386" />
        <source>random, q·k/↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="394" />
        <source>this head</source>
        <translation>此头</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="394" />
        <source>this head, q·k</source>
        <translation>此头,q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="396" />
        <source>head ÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="396" />
        <source>this head, ÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="413" />
        <source>Softmax entropy over %1 keys</source>
        <translation>%1 个键上的 softmax 熵</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="418" />
        <source>bits</source>
        <translation>比特</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="419" />
        <source>random, ÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="420" />
        <source>random, no ÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="432" />
        <source>uniform: log₂ %1 = %2</source>
        <translation>均匀:log₂ %1 = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="438" />
        <source>this query, as run</source>
        <translation>此查询,实际运行</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="440" />
        <source>this query, no ÷↭ₖ</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.h" line="28" />
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::AttentionView</name>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="597" />
        <source>No trace yet</source>
        <translation>尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="601" />
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="602" />
        <source>Scores (before softmax)</source>
        <translation>分数(softmax 之前)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="603" />
        <source>Log probabilities</source>
        <translation>对数概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="604" />
        <source>B − A (pinned trace)</source>
        <translation>B − A(固定的追踪)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="605" />
        <source>What the colours show</source>
        <translation>颜色表示的内容</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="610" />
        <source>Heads: maps</source>
        <translation>头:地图</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="611" />
        <source>Heads: first-token mass</source>
        <translation>头:首词元质量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="612" />
        <source>Heads: entropy</source>
        <translation>头:熵</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="613" />
        <source>Heads: previous-token</source>
        <translation>头:前一词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="614" />
        <source>Heads: induction</source>
        <translation>头:归纳</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="615" />
        <source>Find heads by behaviour: one score per layer and head; click a head to select it</source>
        <translation>按行为查找头:每层每头一个分数;点击一个头即可选中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="653" />
        <source>key: the token read</source>
        <translation>键:被读取的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="654" />
        <source>query: the token reading</source>
        <translation>查询:正在读取的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="930" />
        <source>&lt;b&gt;B − A&lt;/b&gt; — the pinned trace A covers other tokens: pin this text again (View &gt; Pin trace as A)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="932" />
        <source>&lt;b&gt;B − A&lt;/b&gt; — no trace pinned yet: View &gt; Pin trace as A</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="936" />
        <source>&lt;b&gt;Attention&lt;/b&gt; — no trace yet</source>
        <translation>&lt;b&gt;注意力&lt;/b&gt; — 尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="941" />
        <source>&lt;b&gt;Layer %1 · head %2&lt;/b&gt; &amp;nbsp; query “%3” (pos %4): entropy %5 bits, first-token sink %6% &amp;nbsp;&lt;span style='color:gray'&gt;(mean over rows %7 bits, %8%)&lt;/span&gt;</source>
        <translation>&lt;b&gt;第 %1 层 · 第 %2 头&lt;/b&gt; &amp;nbsp; 查询 “%3”(位置 %4):熵 %5 比特,首词元汇聚 %6% &amp;nbsp;&lt;span style='color:gray'&gt;(各行平均 %7 比特,%8%)&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="962" />
        <source>Hover a cell to read it; click a row to select that query. Wheel: zoom, drag: pan, 0: whole map.</source>
        <translation>悬停读取格子;点击一行选中该查询。滚轮:缩放,拖动:平移,0:整张图。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="981" />
        <source>query “&lt;b&gt;%1&lt;/b&gt;” (pos %2) → key “&lt;b&gt;%3&lt;/b&gt;” (pos %4)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="991" />
        <source>: not seen: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="997" />
        <source>: probability &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="999" />
        <source>, score %1 = %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1002" />
        <source> · B − A &lt;b&gt;%1&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.h" line="103" />
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::BeamTreeWidget</name>
    <message>
        <location filename="../../widgets/views/beam_tree.cpp" line="92" />
        <source>prompt</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>anatomy::widgets::CrossAttentionView</name>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="86" />
        <source>No trace yet</source>
        <translation>尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="91" />
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="92" />
        <source>Scores (before softmax)</source>
        <translation>分数(softmax 之前)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="104" />
        <source>decoder query: the output token reading</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="104" />
        <source>encoder key: the input token read</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="105" />
        <source>encoder query</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="105" />
        <source>encoder key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="106" />
        <source>decoder query</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="106" />
        <source>decoder key</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="127" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="215" />
        <source>Hover a cell to read it; click a row to select that decoder position. Wheel: zoom, drag: pan, 0: whole map.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="165" />
        <source>&lt;b&gt;Cross-attention&lt;/b&gt; — this model (%1) is decoder-only: its attention reads its own tokens; cross-attention (decoder queries on encoder keys) is in encoder-decoder models such as T5</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="168" />
        <source>&lt;b&gt;Cross-attention&lt;/b&gt; — no trace yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="178" />
        <source>score q·k + bias</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="178" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="227" />
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="180" />
        <source>score q·k</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="196" />
        <source>input (encoder):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="197" />
        <source>output (decoder):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="199" />
        <source>&lt;b&gt;Layer %1 · head %2&lt;/b&gt; &amp;nbsp; decoder position %3 “%4” reads the input most at %5 “%6” (p = %7) &amp;nbsp;&lt;span style='color:gray'&gt;left: cross-attention, decoder × encoder; right: the encoder's and the decoder's self-attention&lt;/span&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="219" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="220" />
        <source>encoder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="219" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="220" />
        <source>decoder</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="221" />
        <source>%1: %2 query “&lt;b&gt;%3&lt;/b&gt;” (pos %4) → %5 key “&lt;b&gt;%6&lt;/b&gt;” (pos %7)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="227" />
        <source>: %1 &lt;b&gt;%2&lt;/b&gt;</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="227" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="229" />
        <source>: not seen (causal mask: a later key)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.h" line="36" />
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::DecodingView</name>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="121" />
        <source>New tokens per hypothesis, sample and strategy</source>
        <translation>每个假设、样本和策略的新词元数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="122" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="126" />
        <source>Max new tokens</source>
        <translation>最多新词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="133" />
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="134" />
        <source>Best-of-N &amp;&amp; vote</source>
        <translation>Best-of-N 与投票</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="135" />
        <source>Side by side</source>
        <translation>并排比较</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="173" />
        <source>score = Σ log p / length^α (α 0: the sum, 1: the mean per token)</source>
        <translation>分数 = Σ log p / 长度^α(α 0:总和,1:每词元平均)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="174" />
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="176" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="178" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="181" />
        <source>Width W</source>
        <translation>束宽 W</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="183" />
        <source>Length penalty α</source>
        <translation>长度惩罚 α</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="190" />
        <source>&lt;span style='background:#dbe9fb;border:1px solid #2f5da8'&gt;&amp;nbsp;kept&amp;nbsp;&lt;/span&gt; &lt;span style='background:#d9f2dc;border:2px solid #1a7f37'&gt;&amp;nbsp;finished&amp;nbsp;&lt;/span&gt; &lt;span style='background:#f2f2f2;color:#909090'&gt;&amp;nbsp;pruned&amp;nbsp;&lt;/span&gt; &lt;span style='color:#1a7f37'&gt;&lt;b&gt;━ rank 1&lt;/b&gt;&lt;/span&gt;</source>
        <translation>&lt;span style='background:#dbe9fb;border:1px solid #2f5da8'&gt;&amp;nbsp;保留&amp;nbsp;&lt;/span&gt; &lt;span style='background:#d9f2dc;border:2px solid #1a7f37'&gt;&amp;nbsp;完成&amp;nbsp;&lt;/span&gt; &lt;span style='background:#f2f2f2;color:#909090'&gt;&amp;nbsp;剪枝&amp;nbsp;&lt;/span&gt; &lt;span style='color:#1a7f37'&gt;&lt;b&gt;━ 第 1 名&lt;/b&gt;&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="204" />
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>#</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="204" />
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="204" />
        <source>Σ log p</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="204" />
        <source>len</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="204" />
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="238" />
        <source>ECMAScript regex searched in prompt + sample; its first capture group is the answer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="239" />
        <source>N</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="241" />
        <source>Scorer</source>
        <translation>打分方式</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="243" />
        <source>Answer regex</source>
        <translation>答案正则</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="294" />
        <source>Strategies separated by ';': greedy, beam:W[:α], or sampler settings over the Settings dock's (temperature=0.8,top-p=0.9,seed=3). The seed is the dock's unless given, so each column changes one setting.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="297" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="299" />
        <source>Strategies</source>
        <translation>策略</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="343" />
        <source>%1 failed: %2</source>
        <translation>%1 失败:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="345" />
        <location filename="../../widgets/views/decoding_view.cpp" line="346" />
        <source>decoding…</source>
        <translation>解码中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="471" />
        <source>step %1 of %2%3</source>
        <translation>第 %1 步,共 %2 步%3</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="471" />
        <source> (done)</source>
        <translation>(完成)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="519" />
        <source>Best-of-%1 by %2: sample %3 (seed %4).</source>
        <translation>Best-of-%1(按 %2):样本 %3(种子 %4)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="525" />
        <source>  Vote: &lt;b&gt;%1&lt;/b&gt; (%2 of %3 answered)</source>
        <translation>  投票:&lt;b&gt;%1&lt;/b&gt;(%3 个中 %2 个作答)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="529" />
        <source>  (%1 of %2 drawn)</source>
        <translation>  (已抽 %1 / %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="546" />
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;mean log p %2&lt;br&gt;distinct-1 %3 · distinct-2 %4&lt;br&gt;repeated 4-grams %5 · %6 tokens</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.h" line="40" />
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::EmbeddingView</name>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="119" />
        <source>Sentences, one per line (compared by cosine similarity):</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="136" />
        <source>Load an encoder (bert) to compare sentences.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="169" />
        <source>No trace yet.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="184" />
        <source>Pooled embedding of the prompt: %1 pooling over %2 tokens, L2-normalised (Ů‖ = 1), dim %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="201" />
        <source>dimension</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="203" />
        <source>e[i]</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="214" />
        <source>Sentence similarity cos(eᵢ, eⱼ)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="261" />
        <source>sentence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.h" line="48" />
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::HeadGrid</name>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="490" />
        <source>&lt;b&gt;layer %1, head %2&lt;/b&gt;&lt;br&gt;selected row: entropy %3 bits, sink %4%&lt;br&gt;mean over rows: entropy %5 bits, sink %6%&lt;br&gt;click to select</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="512" />
        <source>under each head: entropy (bits) and mass on the first token, at the selected row</source>
        <translation>每个头下方:所选行的熵(比特)与首词元质量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="514" />
        <source>mean p(q → first token) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均 p(q → 首词元)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="515" />
        <source>mean attention entropy (bits) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均注意力熵(比特)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="516" />
        <source>mean p(q → q − 1) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均 p(q → q − 1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="518" />
        <source>induction score: measuring…</source>
        <translation>归纳分数:测量中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="519" />
        <source>induction: p(repeat → token after its first copy), random tokens ×2</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>anatomy::widgets::KvCacheView</name>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="101" />
        <source>Context:</source>
        <translation>上下文:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="105" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="107" />
        <source>MLA latent rank r:</source>
        <translation>MLA 潜变量秩 r:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="111" />
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="113" />
        <source>Every model also as MLA with this latent rank (DeepSeek-V2 ships r = 512 + a 64-dim RoPE key); each model counts r = min(r, 2 · kv heads · head dim, d_model), the most a latent can hold there</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="135" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="135" />
        <source>KV sharing</source>
        <translation>KV 共享</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="135" />
        <source>per token</source>
        <translation>每词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="135" />
        <source>at context</source>
        <translation>整个上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="136" />
        <source>Δ ppl vs as trained</source>
        <translation>相对训练时的 Δ ppl</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="196" />
        <source>Δ ppl = perplexity with the row's KV sharing applied to the model as trained (other architecture knobs as trained) − perplexity as trained</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="198" />
        <source>, on %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="200" />
        <source> — computing…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="201" />
        <source> — failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="205" />
        <source>. Only the loaded model can be measured.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="210" />
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="212" />
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="234" />
        <source>this model (fp32)</source>
        <translation>本模型(fp32)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="244" />
        <source>  ★ shipped</source>
        <translation>  ★ 原版</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="260" />
        <source>
r is capped at %1 here: a latent of higher rank would hold more than the K and V rows it replaces (2 · kv heads · head dim) or than d_model</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="262" />
        <source>
simulator: --set %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="277" />
        <source>KV cache at %1 tokens (one sequence)</source>
        <translation>%1 个词元时的 KV 缓存(单序列)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="279" />
        <source>2 · layers · kv heads · head dim · bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="280" />
        <source>MLA: layers · (r + rope dim) · bytes</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="307" />
        <source>as shipped</source>
        <translation>原版</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="308" />
        <source>alternative</source>
        <translation>替代方案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="333" />
        <source>bytes (log scale)</source>
        <translation>字节(对数刻度)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.h" line="61" />
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::LessonOverlay</name>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="42" />
        <source>Previous step (PageUp)</source>
        <translation>上一步(PageUp)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="43" />
        <source>Next step (PageDown or space)</source>
        <translation>下一步(PageDown 或空格)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="51" />
        <source>Fold the text away to see the view (click again to unfold)</source>
        <translation>收起文字以查看视图(再次点击展开)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="83" />
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="138" />
        <source>Show answer</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="138" />
        <source>Hide answer</source>
        <translation>隐藏答案</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::LessonPanel</name>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="45" />
        <source>◀ Previous</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="46" />
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="47" />
        <source>Close lesson</source>
        <translation>关闭课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="48" />
        <source>PageUp</source>
        <translation>PageUp</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="49" />
        <source>PageDown or space</source>
        <translation>PageDown 或空格</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="50" />
        <source>Back to the state you had before the lesson</source>
        <translation>回到开始课程之前的状态</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="67" />
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="190" />
        <source>Show answer</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="68" />
        <source>Get the model…</source>
        <translation>获取模型…</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="70" />
        <source>Open the model manager to download the model this step is best shown on</source>
        <translation>打开模型管理器,下载最适合演示本步的模型</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="79" />
        <source>Edit lesson</source>
        <translation>编辑课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="91" />
        <source>Rich text (HTML): &lt;p&gt;…&lt;/p&gt;, &lt;b&gt;, &lt;i&gt;, &lt;sub&gt;, &lt;sup&gt;; formulas in Unicode</source>
        <translation>富文本(HTML):&lt;p&gt;…&lt;/p&gt;、&lt;b&gt;、&lt;i&gt;、&lt;sub&gt;、&lt;sup&gt;;公式用 Unicode</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="94" />
        <source>a --set key or a sampler field</source>
        <translation>一个 --set 键或采样器字段</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="99" />
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="100" />
        <source>Section</source>
        <translation>章节</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="101" />
        <source>Step title</source>
        <translation>步骤标题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="102" />
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="103" />
        <source>Try control</source>
        <translation>试一试的控件</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="104" />
        <source>Try</source>
        <translation>试一试</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="105" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="106" />
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="107" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="110" />
        <source>Add step from current state</source>
        <translation>从当前状态添加步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="112" />
        <source>Use current state</source>
        <translation>使用当前状态</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="113" />
        <source>The current step takes the state on screen now</source>
        <translation>当前步骤采用屏幕上现在的状态</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="118" />
        <source>Apply text</source>
        <translation>应用文本</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="119" />
        <source>▲</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="120" />
        <source>▼</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="121" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="122" />
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="123" />
        <source>Move the step up</source>
        <translation>上移此步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="124" />
        <source>Move the step down</source>
        <translation>下移此步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="168" />
        <source>No lesson open (File &gt; Open lesson…)</source>
        <translation>未打开课程(文件 &gt; 打开课程…)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="190" />
        <source>Hide answer</source>
        <translation>隐藏答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="213" />
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="246" />
        <source>Save lesson</source>
        <translation>保存课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="246" />
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="250" />
        <source>Cannot save the lesson</source>
        <translation>无法保存课程</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::LessonPlayer</name>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="65" />
        <source>%1 is not installed: this step shows %2 instead. %3</source>
        <translation>未安装 %1:本步改用 %2 演示。%3</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="106" />
        <source>Untitled lesson</source>
        <translation>未命名课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="173" />
        <source>the lesson needs a title before it is saved</source>
        <translation>保存前课程需要一个标题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="174" />
        <source>the lesson has no steps yet (add one from the current state)</source>
        <translation>课程还没有步骤(请从当前状态添加一个)</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::LogitLensView</name>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="101" />
        <source>Scroll through the positions</source>
        <translation>滚动浏览各位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="193" />
        <source>Logit lens: what each layer would predict next</source>
        <translation>Logit 透镜:每一层会预测的下一个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="195" />
        <source>final norm + classifier applied to each layer's output · colour: probability of the top token
bold ✓: it is the token that came next · hover a cell for the top %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="221" />
        <source>probability of the top-1 token</source>
        <translation>第一名词元的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="236" />
        <source>%1 (output)</source>
        <translation>%1(输出)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="245" />
        <source>input token and position</source>
        <translation>输入词元与位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="246" />
        <source>token that came next</source>
        <translation>实际的下一个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="247" />
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.h" line="50" />
        <source>Logit lens</source>
        <translation>Logit 透镜</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ModelDownload</name>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="28" />
        <source>a download is already running (%1)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="38" />
        <location filename="../../widgets/controller/model_download.cpp" line="95" />
        <source>cannot write %1: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="89" />
        <source>download failed: HTTP %1 %2 from %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="90" />
        <source>download failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="106" />
        <source>cannot read the download back: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="111" />
        <source>sha256 mismatch: the download has %1, the manifest says %2; the file was deleted</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="117" />
        <source>cannot rename %1 to %2: %3</source>
        <translation type="unfinished" />
    </message>
</context>
<context>
    <name>anatomy::widgets::ModelManagerDialog</name>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="35" />
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>Format</source>
        <translation>格式</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>Size</source>
        <translation>大小</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>License</source>
        <translation>许可证</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="39" />
        <source>Path or source</source>
        <translation>路径或来源</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="49" />
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="50" />
        <source>Verify sha256</source>
        <translation>校验 sha256</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="51" />
        <source>Download…</source>
        <translation>下载…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="52" />
        <source>Open other file…</source>
        <translation>打开其他文件…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="53" />
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="89" />
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="90" />
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="90" />
        <source>found</source>
        <translation>已找到</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="125" />
        <source>sha256 %1 (manifest)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="126" />
        <source>sha256 %1 (recorded on first download)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="127" />
        <source>sha256 not known in advance: recorded on the first download, verified after that</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="129" />
        <source>%1 — %2
source: %3
%4</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="151" />
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="157" />
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="217" />
        <source>unverified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="159" />
        <source>No sha256 is known for %1 (neither in the manifest nor recorded on a download).
file: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="164" />
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="207" />
        <source>verified ✓</source>
        <translation>已校验 ✓</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="164" />
        <source>sha256 mismatch ✗</source>
        <translation>sha256 不匹配 ✗</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="166" />
        <source>sha256 matches the manifest: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="167" />
        <source>sha256 differs from the expected one.
file:     %1
expected: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="189" />
        <source>No writable models folder: set ANATOMY_MODELS to a folder you can write.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="201" />
        <source>Downloading… %1</source>
        <translation>下载中… %1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="208" />
        <source>Saved and verified: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="214" />
        <source>sha256 recorded</source>
        <translation>已记录 sha256</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="215" />
        <source>Saved: %1
sha256 %2 recorded; later opens verify it.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="218" />
        <source>Saved: %1, but the sha256 could not be recorded: %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="222" />
        <source>Download failed: %1</source>
        <translation>下载失败:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="223" />
        <source>Download cancelled.</source>
        <translation>已取消下载。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="226" />
        <source>Downloading %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="226" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="245" />
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="246" />
        <source>Models (*.bin *.gguf);;All files (*)</source>
        <translation>模型 (*.bin *.gguf);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::NormsView</name>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="278" />
        <source>Residual RMS, mean μ and σ through the layers — “%1” (pos %2)</source>
        <translation>各层残差 RMS、均值 μ 与 σ — “%1”(位置 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="279" />
        <source>Residual RMS through the layers — “%1” (pos %2)</source>
        <translation>各层残差 RMS — “%1”(位置 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="283" />
        <source>LayerNorm: (x − μ)/σ · g + b over the channels; RMS² = μ² + σ², so RMSNorm's x/RMS also keeps the mean</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="288" />
        <source>residual stream</source>
        <translation>残差流</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="289" />
        <source>attention norm output</source>
        <translation>注意力归一化输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="290" />
        <source>FFN norm output</source>
        <translation>FFN 归一化输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="291" />
        <source>attention output (added)</source>
        <translation>注意力输出(加入)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="292" />
        <source>FFN output (added)</source>
        <translation>FFN 输出(加入)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="306" />
        <source>mean μ of the residual</source>
        <translation>残差均值 μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="307" />
        <source>σ of the residual</source>
        <translation>残差标准差 σ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="332" />
        <source>layer (in → attention → FFN)</source>
        <translation>层(输入 → 注意力 → FFN)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="333" />
        <location filename="../../widgets/views/norms_view.cpp" line="422" />
        <source>RMS</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="338" />
        <source>RMS, μ, σ</source>
        <translation>RMS、μ、σ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="347" />
        <source>Largest |activation| per layer — “%1”</source>
        <translation>每层最大 |激活| — “%1”</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="354" />
        <location filename="../../widgets/views/norms_view.cpp" line="440" />
        <source>residual max |x|</source>
        <translation>残差最大 |x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="361" />
        <location filename="../../widgets/views/norms_view.cpp" line="447" />
        <source>FFN activation max |h|</source>
        <translation>FFN 激活最大 |h|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="367" />
        <location filename="../../widgets/views/norms_view.cpp" line="453" />
        <source>residual RMS, for scale</source>
        <translation>残差 RMS(作比例参考)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="386" />
        <source>layer (numbers: channel of the max)</source>
        <translation>层(数字:最大值所在通道)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="387" />
        <location filename="../../widgets/views/norms_view.cpp" line="477" />
        <source>largest |value|</source>
        <translation>最大 |值|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="397" />
        <source>Residual RMS per token — layer %1</source>
        <translation>每个词元的残差 RMS — 第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="402" />
        <source>entering the layer</source>
        <translation>进入该层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="405" />
        <source>after attention</source>
        <translation>注意力之后</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="407" />
        <source>after FFN</source>
        <translation>FFN 之后</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="410" />
        <source>mean μ entering the layer</source>
        <translation>进入该层时的均值 μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="421" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="433" />
        <source>Largest |activation| per token — layer %1</source>
        <translation>每个词元最大 |激活| — 第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="475" />
        <source>token (labels: residual channel of the max)</source>
        <translation>词元(标签:最大值所在残差通道)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.h" line="55" />
        <source>Norms</source>
        <translation>范数</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::PositionsView</name>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="149" />
        <source>No model yet: load one to see its positions.</source>
        <translation>尚无模型:加载一个模型以查看其位置编码。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="187" />
        <source>(a) Sinusoidal absolute encoding, added to the embedding</source>
        <translation>(a) 正弦绝对位置编码,加到嵌入上</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="188" />
        <source>PE(pos, 2i) = sin(pos / 10000^(2i/%1)),  PE(pos, 2i+1) = cos(…),  d = %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="224" />
        <location filename="../../widgets/views/positions_view.cpp" line="403" />
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="225" />
        <source>dimension j</source>
        <translation>维度 j</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="228" />
        <location filename="../../widgets/views/positions_view.cpp" line="405" />
        <source> trained context %1 →</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="247" />
        <source>(b) T5 relative bias: bucket of the distance</source>
        <translation>(b) T5 相对偏置:距离所在的桶</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="248" />
        <source>%1 buckets: 0–%2 exact, log-spaced up to %3; one learned bias per bucket and head</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="260" />
        <source> one bucket per distance ← | → log-spaced</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="263" />
        <source> from %1 on: all in bucket %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="266" />
        <source>distance n = query − key (tokens back)</source>
        <translation>距离 n = 查询 − 键(向前的词元数)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="267" />
        <source>bucket</source>
        <translation>桶</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="278" />
        <source>(b) T5 relative bias this model learned: B[bucket(key − query), head]</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="279" />
        <source>%1 buckets, one past %2; solid: encoder, dashed: decoder; head %3 bold, others faint</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="313" />
        <source> ← keys before</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="315" />
        <source>after (encoder) → </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="317" />
        <source>relative position key − query (tokens)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="318" />
        <source>bias added to the score</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="334" />
        <source>(c) ALiBi: bias −mₕ୽ added to the score</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="335" />
        <source>head h = 0..%1: slope m = 2^(ℨ(h+1)/%2), fixed, nothing learned; selected head %3 bold</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="357" />
        <source>head %1: %2</source>
        <translation>头 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="364" />
        <source>distance d = query − key (tokens back)</source>
        <translation>距离 d = 查询 − 键(向前的词元数)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="365" />
        <source>bias on the score</source>
        <translation>分数上的偏置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="380" />
        <source>(d) RoPE: cos(pos·θᵢ) of each pair, rotating q and k</source>
        <translation>(d) RoPE:每对的 cos(pos·θᵢ),旋转 q 和 k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="381" />
        <source>θᵢ = %1^(™i/%2), λ = 2π/θᵢ tokens per turn; q·k sees only angle differences</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="396" />
        <source>pair %1
λ = %2</source>
        <translation>维度对 %1
λ = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.h" line="61" />
        <source>Positions</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::RopeView</name>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="220" />
        <source>Key:</source>
        <translation>键:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="222" />
        <source>most attended</source>
        <translation>最受关注</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="223" />
        <source>same position</source>
        <translation>同一位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="224" />
        <source>first token</source>
        <translation>首词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="226" />
        <source>Turn the pairs to another position, also beyond the trained context</source>
        <translation>把维度对转到另一位置,也可超出训练上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="303" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请让模型运行一段文本。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="320" />
        <source>turn q to position %1</source>
        <translation>把 q 转到位置 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="330" />
        <source>q of layer %1, head %2 at position %3 (“%4”), pair by pair</source>
        <translation>第 %1 层第 %2 头在位置 %3(“%4”)的 q,逐对展示</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="413" />
        <source>pair %1</source>
        <translation>维度对 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="416" />
        <source>λ = %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="420" />
        <source>%1°</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="423" />
        <source>%1 turns</source>
        <translation>%1 圈</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="425" />
        <source>|q| %1
|k| %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="432" />
        <source>positions = %1: q and k are not rotated, the arrows are the same at every position</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="433" />
        <source>ALiBi</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="433" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="435" />
        <source>pair i turns by θ′ᵢ radians per token: %1 with s = %2 (base %3)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="438" />
        <source>pair i turns by θᵢ = %1^(™i/%2) radians per token</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="440" />
        <source>
blue: q at position %1 · orange: k of “%2” at position %3 · arrows are directions, |q| and |k| the pair's lengths</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="478" />
        <source>positions = ALiBi: no rotary frequencies</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="478" />
        <source>positions = none: no rotary frequencies</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="481" />
        <source>q and k are not rotated.
Instead each head subtracts mₕ୽
from the score, d tokens back:
see the bias line on the right.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="483" />
        <source>q and k are not rotated and no bias
is added: attention cannot tell
near from far. Only the causal mask
says which tokens came before.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="493" />
        <source>Wavelength 2π/θᵢ per pair, each scaling at s = %1</source>
        <translation>每对的波长 2π/θᵢ,各缩放方式取 s = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="525" />
        <source> @ L=%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="526" />
        <source> ◀</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="544" />
        <source>tokens per turn</source>
        <translation>每圈词元数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="554" />
        <source>θᵢ (radians per token)</source>
        <translation>θᵢ(每词元弧度)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="563" />
        <source>pair i (fast → slow)</source>
        <translation>维度对 i(快 → 慢)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="584" />
        <source>original context L0 = %1</source>
        <translation>原始上下文 L0 = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="585" />
        <source>s × L0 = %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="602" />
        <source>this q (“%1”) and k (“%2”) moved d tokens apart</source>
        <translation>此 q(“%1”)与 k(“%2”)相隔 d 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="603" />
        <source>; positions = none: the score is the same at every distance</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="604" />
        <source>; ALiBi head %1: m = %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="606" />
        <source>Score q·k/√%1 at distance d</source>
        <translation>距离 d 处的分数 q·k/√%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="624" />
        <source>as trained (RoPE, base %1)</source>
        <translation>训练时(RoPE,base %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="626" />
        <source>RoPE as trained</source>
        <translation>训练时的 RoPE</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="627" />
        <source>ALiBi: q·k/↭ − m୽</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="628" />
        <source>no positions</source>
        <translation>无位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="630" />
        <source>%1, s = %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="631" />
        <source> (logits × %1)</source>
        <translation>(logits × %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="635" />
        <source>ALiBi bias −m୽</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="698" />
        <source> trained context (%1) → never seen in training</source>
        <translation> 训练上下文(%1)→ 训练中从未见过</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="703" />
        <source> s × L0 = %1 </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="716" />
        <source>  in the trace: d = %1, score %2</source>
        <translation>  追踪中:d = %1,分数 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="724" />
        <source>distance d = query position − key position</source>
        <translation>距离 d = 查询位置 − 键位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="726" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.h" line="88" />
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::RoutingView</name>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="112" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请让模型运行一段文本。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="129" />
        <source>Layer %1: %2 experts, top-%3 routing</source>
        <translation>第 %1 层:%2 个专家,top-%3 路由</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="133" />
        <source>importance CV %1  ·  dropped %2 of %3 assignments  ·  FFN params per token %4 of %5 (%6%)</source>
        <translation>重要性变异系数 %1  ·  %3 次分配中丢弃 %2  ·  每词元 FFN 参数 %4 / %5(%6%)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="168" />
        <source>chosen</source>
        <translation>被选中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="172" />
        <source>dropped (over capacity)</source>
        <translation>丢弃(超出容量)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="191" />
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="192" />
        <source>token (colour: router probability, ring: chosen)</source>
        <translation>词元(颜色:路由概率,圆圈:被选中)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="224" />
        <source>tokens per expert (load)</source>
        <translation>每个专家的词元数(负载)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="240" />
        <source> balanced 
 T·k/E = %1 </source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="304" />
        <source>experts per token k</source>
        <translation>每词元专家数 k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="305" />
        <source>FFN params per token k/E</source>
        <translation>每词元 FFN 参数 k/E</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="306" />
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="322" />
        <source>perplexity against k
not measured:
%1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="324" />
        <source>computing perplexity
for k = 1..%1…
%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="326" />
        <source>perplexity against k:
not measured yet</source>
        <translation>困惑度随 k 的变化:
尚未测量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="362" />
        <source>as trained (dense) %1</source>
        <translation>训练时(稠密)%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="384" />
        <source>k = %1: ppl %2, %3× dense</source>
        <translation>k = %1:困惑度 %2,稠密的 %3 倍</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="397" />
        <source>E = %1, %2
%3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="398" />
        <source>
computing…</source>
        <translation>
计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="399" />
        <source>
k = %1 not measured</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.h" line="43" />
        <source>MoE routing</source>
        <translation>MoE 路由</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::SamplingView</name>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="309" />
        <source>Draw</source>
        <translation>抽样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="310" />
        <source>Sample one token with these settings and the seed; each press continues the seed's sequence</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="311" />
        <source>Draw 焀</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="312" />
        <source>Sample 100 times and mark how often each token came up</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="421" />
        <source>Show the distribution after the %1 stage
%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="488" />
        <source>Next token after “%1” (position %2): the distribution drawn from</source>
        <translation>“%1”(位置 %2)之后的下一个词元:抽样所用的分布</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="490" />
        <source>Next token after “%1” (position %2): after %3 (%4)</source>
        <translation>“%1”(位置 %2)之后的下一个词元:经过 %3(%4)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="495" />
        <source>entropy %1 bits · %2 left · the %3 bars hold %4% of the mass</source>
        <translation>熵 %1 比特 · 剩余 %2 · 这 %3 条柱占 %4% 的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="497" />
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="497" />
        <source>candidates</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="524" />
        <source>cut by an earlier stage</source>
        <translation>被之前的阶段截去</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="532" />
        <source>cut by this stage</source>
        <translation>被此阶段截去</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="539" />
        <source>probability after this stage</source>
        <translation>此阶段之后的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="547" />
        <source>before this stage</source>
        <translation>此阶段之前</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="560" />
        <source>drawn token</source>
        <translation>抽中的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="569" />
        <source>share of %1 draws</source>
        <translation>%1 次抽样中的占比</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="595" />
        <source>%1 cut-off: p = %2</source>
        <translation>%1 截断:p = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="617" />
        <source>next token (top %1 under the model)</source>
        <translation>下一个词元(模型下前 %1 个)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="618" />
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="650" />
        <source>drawn
%1%</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="671" />
        <source>Drew “%1” (coin %2) · draw %3 with seed %4</source>
        <translation>抽中 “%1”(随机数 %2)· 种子 %4 的第 %3 次抽样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="677" />
        <source>Greedy choice: “%1”</source>
        <translation>贪心选择:“%1”</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.h" line="118" />
        <source>Sampling</source>
        <translation>采样</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::SettingsPanel</name>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="100" />
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="101" />
        <source>Divides the logits before the softmax: p ∝ exp(z / T). Below 1 sharpens, above 1 flattens; 0 = greedy (argmax).</source>
        <translation>在 softmax 之前除 logits:p ∝ exp(z / T)。小于 1 变尖,大于 1 变平;0 = 贪心(argmax)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="104" />
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="104" />
        <source>Keep only the k most probable tokens (0 = off).</source>
        <translation>只保留概率最高的 k 个词元(0 = 关闭)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="106" />
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="107" />
        <source>Keep the smallest set of most probable tokens whose mass exceeds p (1 = off).</source>
        <translation>保留概率和超过 p 的最小高概率词元集合(1 = 关闭)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="109" />
        <source>Min-p</source>
        <translation>Min-p</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="110" />
        <source>Keep tokens with p ≥ min-p × p(most probable token) (0 = off).</source>
        <translation>保留 p ≥ min-p × p(最可能词元) 的词元(0 = 关闭)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="112" />
        <source>Typical-p</source>
        <translation>Typical-p</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="113" />
        <source>Locally typical sampling: keep the tokens whose surprise −ln p is closest to the entropy H until their mass exceeds p (1 = off).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="116" />
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="117" />
        <source>Divides positive logits (multiplies negative ones) of recently seen tokens by this factor (1 = off).</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="122" />
        <source>How many recent tokens the repetition penalty looks at.</source>
        <translation>重复惩罚考察的最近词元数量。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="123" />
        <source>Penalty window</source>
        <translation>惩罚窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="125" />
        <source>Stage order</source>
        <translation>阶段顺序</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="130" />
        <source>Seed of the random number generator: the same seed draws the same tokens.</source>
        <translation>随机数生成器的种子:相同的种子抽出相同的词元。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="131" />
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="134" />
        <source>all cores</source>
        <translation>全部核心</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="135" />
        <source>Worker threads of the engine (0 = all cores).</source>
        <translation>引擎的工作线程数(0 = 全部核心)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="136" />
        <source>Threads</source>
        <translation>线程</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="141" />
        <source>Saved sampler settings</source>
        <translation>已保存的采样器设置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="142" />
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="143" />
        <source>Delete</source>
        <translation>删除</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="144" />
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="254" />
        <source>The sampler's stages run top to bottom; unchecked stages do not run.
The default (penalty, temperature, top-k, top-p, min-p) reproduces llama2.c.
Temperature below a filter reshapes only the tokens that filter kept;
top-p and min-p above temperature cut the model's own distribution.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="260" />
        <source>Up</source>
        <translation>上移</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="262" />
        <source>Run the selected stage earlier</source>
        <translation>让所选阶段提前运行</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="263" />
        <source>Down</source>
        <translation>下移</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="265" />
        <source>Run the selected stage later</source>
        <translation>让所选阶段推后运行</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="266" />
        <source>Default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="268" />
        <source>penalty, temperature, top-k, top-p, min-p (llama2.c's order), then typical</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="379" />
        <source>Choose…</source>
        <translation>选择…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="385" />
        <source>Save preset</source>
        <translation>保存预设</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="385" />
        <source>Preset name:</source>
        <translation>预设名称:</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::TokenStrip</name>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="303" />
        <source>No trace yet</source>
        <translation>尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="335" />
        <source>dashed: generated   </source>
        <translation>虚线:生成的   </translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="336" />
        <source>colour: p(token | text before it)   0</source>
        <translation>颜色:p(词元 | 前文)   0</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="337" />
        <source>colour: surprisal −log₂ p   0 bits</source>
        <translation>颜色:惊奇度 −log₂ p   0 比特</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="338" />
        <source>1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="338" />
        <source>≥ %1 bits</source>
        <translation>≥ %1 比特</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="362" />
        <source>&lt;br&gt;first token: nothing predicts it</source>
        <translation>&lt;br&gt;第一个词元:没有任何东西预测它</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="364" />
        <source>&lt;br&gt;p = %1 &amp;nbsp; surprisal %2 bits &amp;nbsp; rank %3</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.cpp" line="368" />
        <source>&lt;br&gt;model's top choices here:</source>
        <translation>&lt;br&gt;模型在此的首选:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/token_strip.h" line="51" />
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::TraceController</name>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="291" />
        <source>traced the first %1 of %2 tokens: the attention maps of %3 layers × %4 heads at %2 tokens would need %5 MB (limit %6 MB)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="301" />
        <source>the whole text is traced (%1 tokens), beyond the %2 the model was trained on: positions past %2 are extrapolated</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="333" />
        <source>out of memory while tracing; capture fewer arrays or tokens</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="392" />
        <source>stopped: drew the %n token(s) asked for</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="395" />
        <source>stopped: the model drew end-of-text after %n token(s) (a story ends)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="399" />
        <source>stopped: the text reached %1 tokens, the most a trace of this model holds</source>
        <translation type="unfinished" />
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="400" />
        <location filename="../../widgets/controller/trace_controller.cpp" line="402" />
        <source>stopped by Stop after %n token(s)</source>
        <translation type="unfinished">
            <numerusform />
        </translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::TrainView</name>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="142" />
        <source>A preset of the course's comparisons (samples/train_presets), or a config file</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="144" />
        <source>Config…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="145" />
        <source>Start training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="146" />
        <source>Stop training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="147" />
        <source>Resume</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="148" />
        <source>Open in views</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="158" />
        <source>Loss (nats/token)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="158" />
        <source>loss</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="159" />
        <source>Learning rate</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="159" />
        <location filename="../../widgets/views/train_view.cpp" line="288" />
        <source>lr</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="160" />
        <source>Gradient norm per layer</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="160" />
        <source>‖g‖</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="161" />
        <source>First-token attention mass</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="161" />
        <source>mass</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="162" />
        <source>Expert load</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="162" />
        <source>share</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="163" />
        <source>Largest activation |x|</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="163" />
        <source>|x|</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="183" />
        <source>Training config</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="184" />
        <source>Training config (*.json)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="217" />
        <source>No config: pick a preset or a config file (Config…)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="235" />
        <source>Failed: %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="237" />
        <source>Training: reading the corpus…</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="238" />
        <source>Pick a preset (one design of a comparison) and press Start training. Models go to %1.</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="245" />
        <source>, validation %1 at step %2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Training</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Done</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Stopped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="249" />
        <source>%1: step %2 of %3, train loss %4%5, %6 tokens/s</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="257" />
        <source> — %1%2</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="260" />
        <source> (this design runs in the trainer only; the views cannot open it yet)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="273" />
        <source>Load the trained model into every view</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="274" />
        <source>Train a model first (designs with gated attention, MoE, plain FFN or absolute positions run in the trainer only)</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="286" />
        <source>train</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="286" />
        <source>validation</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="287" />
        <location filename="../../widgets/views/train_view.cpp" line="288" />
        <location filename="../../widgets/views/train_view.cpp" line="294" />
        <location filename="../../widgets/views/train_view.cpp" line="295" />
        <location filename="../../widgets/views/train_view.cpp" line="296" />
        <location filename="../../widgets/views/train_view.cpp" line="297" />
        <source>no steps yet</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="290" />
        <source>layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="291" />
        <source>head %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="292" />
        <source>expert %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="293" />
        <source>dropped</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="296" />
        <source>dense FFN: no experts</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="297" />
        <source>max |x|</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="298" />
        <source>First-token attention mass, layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="299" />
        <source>Expert load, layer %1</source>
        <translation type="unfinished" />
    </message>
    <message>
        <location filename="../../widgets/views/train_view.h" line="51" />
        <source>Train</source>
        <translation>训练</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::VoteHistogram</name>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="46" />
        <source>no answers (the regex matched nothing)</source>
        <translation type="unfinished" />
    </message>
</context>
</TS>