<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="zh_CN">
<context>
    <name>LessonHtml</name>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="22" />
        <source>Try:</source>
        <translation>试一试:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="25" />
        <source>Question:</source>
        <translation>问题:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="27" />
        <source>Answer:</source>
        <translation>答案:</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_html.cpp" line="35" />
        <source>Step %1 of %2</source>
        <translation>第 %1 步,共 %2 步</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../widgets/controller/window_logic.cpp" line="48" />
        <source>position %1 “%2” · layer %3 · head %4 · %5 tokens</source>
        <translation>位置 %1 “%2” · 第 %3 层 · 第 %4 头 · %5 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/window_logic.cpp" line="71" />
        <source>the session's model %1 was not found</source>
        <translation>找不到会话的模型 %1</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../../widgets/controller/decoding_controller.cpp" line="164" />
        <source>no strategy given (e.g. greedy; beam:4; temperature=0.8)</source>
        <translation>未给出策略(例如 greedy; beam:4; temperature=0.8)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="64" />
        <location filename="../../widgets/controller/session_file.cpp" line="66" />
        <location filename="../../widgets/export/view_export.cpp" line="299" />
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="90" />
        <source>%1: %2 bytes is too large for a session file (at most %3)</source>
        <translation>%1:%2 字节,会话文件过大(最多 %3)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="94" />
        <source>cannot read the session: %1</source>
        <translation>无法读取会话:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="97" />
        <source>%1: too large for a session file (at most %2 bytes)</source>
        <translation>%1:会话文件过大(最多 %2 字节)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="100" />
        <source>%1: not JSON (%2 at byte %3)</source>
        <translation>%1:不是 JSON(第 %3 字节处 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="103" />
        <source>%1: format: expected "transformer-anatomy-session", got "%2"</source>
        <translation>%1:format:应为 "transformer-anatomy-session",实际为 "%2"</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="106" />
        <source>%1: version: expected %2, got %3</source>
        <translation>%1:version:应为 %2,实际为 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="112" />
        <source>%1: model.path is missing</source>
        <translation>%1:缺少 model.path</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="115" />
        <source>%1: tokens: expected non-negative integers</source>
        <translation>%1:tokens:应为非负整数</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="133" />
        <source>%1: sampler.%2: expected a finite number</source>
        <translation>%1:sampler.%2:应为有限数值</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="140" />
        <source>%1: sampler.seed: expected an unsigned integer string</source>
        <translation>%1:sampler.seed:应为无符号整数字符串</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="145" />
        <source>%1: sampler.order: %2</source>
        <translation>%1:sampler.order:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="150" />
        <source>%1: threads: expected 0 (all cores) to %2, got %3</source>
        <translation>%1:threads:应为 0(全部核心)到 %2,实际为 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="159" />
        <source>%1: architecture: expected "key=value" strings</source>
        <translation>%1:architecture:应为 "key=value" 字符串</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="164" />
        <source>%1: architecture: %2</source>
        <translation>%1:architecture:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="175" />
        <source>%1: perplexity: start and length must be whole numbers below 2^53</source>
        <translation>%1:perplexity:start 和 length 必须是小于 2^53 的整数</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/session_file.cpp" line="180" />
        <source>%1: perplexity: start &gt;= 0, length &gt;= 2 and context &gt;= 2 expected</source>
        <translation>%1:perplexity:应满足 start &gt;= 0、length &gt;= 2 且 context &gt;= 2</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="211" />
        <location filename="../../widgets/export/view_export.cpp" line="236" />
        <source>nothing to save: the view has no size</source>
        <translation>没有可保存的内容:视图尺寸为零</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="218" />
        <location filename="../../widgets/export/view_export.cpp" line="244" />
        <location filename="../../widgets/export/view_export.cpp" line="285" />
        <location filename="../../widgets/export/view_export.cpp" line="292" />
        <source>cannot write %1</source>
        <translation>无法写入 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="251" />
        <source>cannot write %1: this build has no SVG support (install qt6-svg-dev)</source>
        <translation>无法写入 %1:此版本不支持 SVG(请安装 qt6-svg-dev)</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="271" />
        <source>unknown view '%1'</source>
        <translation>未知视图 '%1'</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="276" />
        <source>nothing to save: the view rendered no image</source>
        <translation>没有可保存的内容:视图未渲染出图像</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="291" />
        <source>unsupported image type .%1 (use .%2)</source>
        <translation>不支持的图像类型 .%1(请用 .%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="365" />
        <source>unknown view '%1' (known: %2, all)</source>
        <translation>未知视图 '%1'(可用:%2、all)</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="369" />
        <source>--export-data file must end in .csv: '%1'</source>
        <translation>--export-data 的文件必须以 .csv 结尾:'%1'</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="373" />
        <source>invalid size %1x%2 (64 to %3 px a side)</source>
        <translation>无效尺寸 %1x%2(每边 64 到 %3 像素)</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="375" />
        <source>screenshot file must end in .%1: '%2'</source>
        <translation>截图文件必须以 .%1 结尾:'%2'</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="403" />
        <source>ANATOMY_SIM_SET: %1</source>
        <translation>ANATOMY_SIM_SET:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="419" />
        <location filename="../../app/gui/main.cpp" line="67" />
        <location filename="../../app/gui/main.cpp" line="73" />
        <source>timed out tracing with %1</source>
        <translation>用 %1 追踪超时</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="420" />
        <location filename="../../app/gui/main.cpp" line="68" />
        <location filename="../../app/gui/main.cpp" line="161" />
        <source>cannot load %1: %2</source>
        <translation>无法加载 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="423" />
        <source>timed out generating with %1</source>
        <translation>用 %1 生成超时</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="424" />
        <source>cannot generate with %1: %2</source>
        <translation>无法用 %1 生成:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/export/view_export.cpp" line="426" />
        <source>no trace produced for %1</source>
        <translation>%1 没有产生追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="26" />
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="35" />
        <source>Greedy (argmax)</source>
        <translation>贪心(argmax)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="39" />
        <source>llama2.c default (T 1, top-p 0.9)</source>
        <translation>llama2.c 默认(T 1,top-p 0.9)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="43" />
        <source>Pure sampling (T 1)</source>
        <translation>纯随机采样(T 1)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="49" />
        <source>Careful (T 0.7, top-k 40, penalty 1.1)</source>
        <translation>谨慎(T 0.7,top-k 40,惩罚 1.1)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="54" />
        <source>Hot with min-p (T 1.5, min-p 0.05)</source>
        <translation>高温加 min-p(T 1.5,min-p 0.05)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="60" />
        <source>Temperature last (min-p 0.1, then T 1.5)</source>
        <translation>温度放最后(先 min-p 0.1,再 T 1.5)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="50" />
        <source>Linear attention</source>
        <translation>线性注意力</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="52" />
        <source>Multi-query attention</source>
        <translation>多查询注意力(MQA)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="53" />
        <source>Grouped-query attention</source>
        <translation>分组查询注意力(GQA)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="54" />
        <source>Multi-head attention</source>
        <translation>多头注意力(MHA)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="61" />
        <source>RoPE on q, k (base %1</source>
        <translation>q、k 上的 RoPE(基数 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="65" />
        <source>, %1 s = %2</source>
        <translation>,%1 s = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="68" />
        <source>, dual chunk</source>
        <translation>,双块</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="71" />
        <source>ALiBi: − slope·|i − j| on the scores</source>
        <translation>ALiBi:分数减去 斜率·|i − j|</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="72" />
        <source>no positions (NoPE)</source>
        <translation>无位置编码(NoPE)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="104" />
        <source>pre-norm</source>
        <translation>前置归一化(pre-norm)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="105" />
        <source>post-norm</source>
        <translation>后置归一化(post-norm)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="106" />
        <source>sandwich norm</source>
        <translation>三明治归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="108" />
        <source>DeepNorm (α = %1)</source>
        <translation>DeepNorm(α = %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="116" />
        <source>causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="117" />
        <source>bidirectional</source>
        <translation>双向</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="118" />
        <source>prefix-LM (%1)</source>
        <translation>前缀语言模型(%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="122" />
        <source>, sliding window %1</source>
        <translation>,滑动窗口 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="124" />
        <source>, %1 sinks + window %2</source>
        <translation>,%1 个汇聚词元 + 窗口 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="127" />
        <source>, window %1 + stride %2</source>
        <translation>,窗口 %1 + 步幅 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="129" />
        <source>, dual chunks of %1</source>
        <translation>,双块,每块 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="130" />
        <source>, shifted groups of %1</source>
        <translation>,移位分组,每组 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="171" />
        <source>%1 layers · d_model %2 · %3 heads (%4 KV) · d_k %5 · FFN %6 · vocab %7 · context %8</source>
        <translation>%1 层 · d_model %2 · %3 个头(%4 个 KV)· d_k %5 · FFN %6 · 词表 %7 · 上下文 %8</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="174" />
        <source>as trained (no knob changed)</source>
        <translation>与训练时相同(未改动旋钮)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="175" />
        <source>knobs: %1</source>
        <translation>旋钮:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="211" />
        <source>tokens (%1)</source>
        <translation>词元(%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="215" />
        <source>Embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="244" />
        <source>e / ‖e‖₂</source>
        <translation>e / ‖e‖₂</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="212" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="95" />
        <source>vocab %1 × d %2</source>
        <translation>词表 %1 × d %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="51" />
        <source>Multi-head latent attention</source>
        <translation>多头潜变量注意力(MLA)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="214" />
        <source>+ positions + token type%1</source>
        <translation>+ 位置 + 词元类型%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="214" />
        <source>, LayerNorm</source>
        <translation>,LayerNorm</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="219" />
        <source>Layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="219" />
        <source>Layers %1–%2</source>
        <translation>第 %1–%2 层</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="220" />
        <source>MoE %1</source>
        <translation>MoE %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="228" />
        <source>%1 heads · MLA latent %2</source>
        <translation>%1 个头 · MLA 潜变量 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="229" />
        <source>%1 q / %2 kv heads</source>
        <translation>%1 个 q 头 / %2 个 kv 头</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="238" />
        <source>encoder · </source>
        <translation>编码器 · </translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="239" />
        <source>mean of the %1 tokens' states</source>
        <translation>%1 个词元状态的平均</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="240" />
        <source>the [CLS] token's state</source>
        <translation>[CLS] 词元的状态</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="241" />
        <source>the last token's state</source>
        <translation>最后一个词元的状态</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="242" />
        <source>none: one vector per token</source>
        <translation>无:每个词元一个向量</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="243" />
        <source>Pooling (%1), no LM head</source>
        <translation>池化(%1),无语言模型头</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="245" />
        <source>sentence embedding (d %1) → similarity</source>
        <translation>句子嵌入(d %1)→ 相似度</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="248" />
        <source>Final %1</source>
        <translation>最终 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="251" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="105" />
        <source>Classifier</source>
        <translation>分类器</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="252" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="106" />
        <source>d %1 → %2, %3</source>
        <translation>d %1 → %2,%3</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="253" />
        <source>tied to the embedding</source>
        <translation>与嵌入共享权重</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="253" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="107" />
        <source>own weights</source>
        <translation>独立权重</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="255" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="109" />
        <source>logits → sampling</source>
        <translation>logits → 采样</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="270" />
        <source>Layer %1: residual stream x, d %2</source>
        <translation>第 %1 层:残差流 x,d %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="307" />
        <source>gain 1</source>
        <translation>增益 1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="307" />
        <source>ε %1</source>
        <translation>ε %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="332" />
        <source>φ(q)·φ(k) weights, φ = elu + 1</source>
        <translation>φ(q)·φ(k) 权重,φ = elu + 1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="333" />
        <source>softmax(q·k / √%1%2) · v</source>
        <translation>softmax(q·k / √%1%2) · v</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="335" />
        <source> × %1</source>
        <translation> × %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="338" />
        <source>%1 query heads, 1 KV head, d_k %2</source>
        <translation>%1 个查询头,1 个 KV 头,d_k %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="339" />
        <source>%1 query heads, %2 KV heads, d_k %3</source>
        <translation>%1 个查询头,%2 个 KV 头,d_k %3</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="342" />
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="351" />
        <source>mask: %1</source>
        <translation>掩码:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="342" />
        <source>positions: learned, added to the embedding</source>
        <translation>位置编码:可学习,加到嵌入上</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="343" />
        <source>Wq %1→%2, Wk Wv %1→%3, Wo %2→%1</source>
        <translation>Wq %1→%2,Wk Wv %1→%3,Wo %2→%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="348" />
        <source>MLA: %1 heads from a latent of rank %2 + RoPE key %3</source>
        <translation>MLA:%1 个头来自秩 %2 的潜变量 + RoPE 键 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="350" />
        <source>softmax(q·[k_c; k_r] / √%1) · v</source>
        <translation>softmax(q·[k_c; k_r] / √%1) · v</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="352" />
        <source>KV cache: %1 floats per token (MHA: %2)</source>
        <translation>KV 缓存:每个词元 %1 个浮点数(MHA:%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="354" />
        <source>W_dkv %1→%2, W_uk W_uv %2→%3, Wo %3→%1</source>
        <translation>W_dkv %1→%2,W_uk W_uv %2→%3,Wo %3→%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="357" />
        <source>%1 head(s) ablated or gated</source>
        <translation>%1 个头被消融或门控</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="363" />
        <source>Mixture of experts (%1)</source>
        <translation>混合专家(%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="365" />
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="366" />
        <source>Feed-forward, %1</source>
        <translation>前馈网络,%1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="367" />
        <source>W2 (%1(W1 h) ⊙ W3 h)</source>
        <translation>W2 (%1(W1 h) ⊙ W3 h)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="368" />
        <source>W2 %1(W1 h)</source>
        <translation>W2 %1(W1 h)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="369" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="161" />
        <source>d %1 → %2 → %1</source>
        <translation>d %1 → %2 → %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="371" />
        <source>%1 experts, top-%2 per token, router score cₑ·x</source>
        <translation>%1 个专家,每个词元取 top-%2,路由分数 cₑ·x</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/architecture_diagram.cpp" line="391" />
        <source>α x + F(x), α = %1</source>
        <translation>α x + F(x),α = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="54" />
        <source>seen</source>
        <translation>可见</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="55" />
        <source>future (causal)</source>
        <translation>未来(因果)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="56" />
        <source>after the prefix</source>
        <translation>前缀之后</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="57" />
        <source>outside window</source>
        <translation>窗口之外</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="58" />
        <source>not sink/window</source>
        <translation>非汇聚词元/窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="59" />
        <source>off the stride</source>
        <translation>不在步幅上</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="60" />
        <source>other group</source>
        <translation>其他组</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="61" />
        <source>out of range</source>
        <translation>超出范围</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="101" />
        <source>attention probability</source>
        <translation>注意力概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="102" />
        <source>score %1 (before softmax)</source>
        <translation>分数 %1(softmax 之前)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="103" />
        <source>probability (log scale)</source>
        <translation>概率(对数刻度)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="104" />
        <source>probability B − A (pinned)</source>
        <translation>概率 B − A(固定的 A)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="50" />
        <location filename="../../app/gui/main.cpp" line="86" />
        <source>--size %1x%2 is smaller than the window's minimum %3x%4</source>
        <translation>--size %1x%2 小于窗口的最小尺寸 %3x%4</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="94" />
        <source>timed out loading the model</source>
        <translation>加载模型超时</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="96" />
        <source>timed out entering step %1</source>
        <translation>进入第 %1 步超时</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="200" />
        <source>no repaint after a settings change</source>
        <translation>设置更改后没有重绘</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="209" />
        <location filename="../../app/gui/main.cpp" line="245" />
        <source>no repaint after a prompt change</source>
        <translation>提示词更改后没有重绘</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="367" />
        <source>--export-data needs one view (the window has no data of its own)</source>
        <translation>--export-data 需要指定一个视图(窗口本身没有数据)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main.cpp" line="369" />
        <source>--export-data cannot export a lesson slide</source>
        <translation>--export-data 不能导出课程幻灯片</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="28" />
        <source>GeGLU</source>
        <translation>GeGLU</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="28" />
        <source>ReLU FFN</source>
        <translation>ReLU FFN</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="42" />
        <source>encoder-decoder · %1 + %1 layers · d %2 · %3 heads · d_kv %4 · FFN %5 · vocab %6</source>
        <translation>编码器-解码器 · %1 + %1 层 · d %2 · %3 个头 · d_kv %4 · FFN %5 · 词表 %6</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="46" />
        <source>as trained (the simulator's knobs are for decoder-only models)</source>
        <translation>与训练时相同(模拟器的旋钮只用于仅解码器模型)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="78" />
        <source>input tokens (%1)</source>
        <translation>输入词元(%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="79" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="94" />
        <source>Embedding (shared)</source>
        <translation>嵌入(共享)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="80" />
        <source>vocab %1 × d %2, no positions</source>
        <translation>词表 %1 × d %2,无位置编码</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="83" />
        <source>Encoder layer %1</source>
        <translation>编码器第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="84" />
        <source>bidirectional self-attn + bias · %1</source>
        <translation>双向自注意力 + 偏置 · %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="86" />
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="104" />
        <source>Final RMS norm</source>
        <translation>最终 RMS 归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="87" />
        <source>encoder output e</source>
        <translation>编码器输出 e</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="88" />
        <source>%1 × d %2, read by every decoder layer</source>
        <translation>%1 × d %2,每个解码器层都读取</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="92" />
        <source>output tokens (%1, from start %2)</source>
        <translation>输出词元(%1,起始 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="98" />
        <source>Decoder layer %1</source>
        <translation>解码器第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="99" />
        <source>self-attn + bias · cross-attn · %1</source>
        <translation>自注意力 + 偏置 · 交叉注意力 · %1</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="107" />
        <source>tied, unscaled</source>
        <translation>共享权重,不缩放</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="136" />
        <source>Decoder layer %1: residual stream x, d %2</source>
        <translation>解码器第 %1 层:残差流 x,d %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="150" />
        <source>softmax(q·k + B[bucket(j − i), h]) · v, no 1/√d_k</source>
        <translation>softmax(q·k + B[bucket(j − i), h]) · v,不除以 √d_k</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="152" />
        <source>Self-attention (causal)</source>
        <translation>自注意力(因果)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="153" />
        <source>%1 heads, d_kv %2</source>
        <translation>%1 个头,d_kv %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="154" />
        <source>relative bias: %1 buckets, max distance %2</source>
        <translation>相对位置偏置:%1 个桶,最大距离 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="156" />
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="157" />
        <source>q from x; k, v from e (once)</source>
        <translation>q 来自 x;k、v 来自 e(只算一次)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="157" />
        <source>softmax(q·k)·v, %1 keys</source>
        <translation>softmax(q·k)·v,%1 个键</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="159" />
        <source>Feed-forward, gated GELU</source>
        <translation>前馈网络,门控 GELU</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="159" />
        <source>Feed-forward, ReLU</source>
        <translation>前馈网络,ReLU</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="160" />
        <source>W2 (GELU(W1 h) ⊙ W3 h)</source>
        <translation>W2 (GELU(W1 h) ⊙ W3 h)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="160" />
        <source>W2 ReLU(W1 h)</source>
        <translation>W2 ReLU(W1 h)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="176" />
        <source>RMS norm</source>
        <translation>RMS 归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="177" />
        <source>no mean, no bias</source>
        <translation>不减均值,无偏置</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="202" />
        <source>e</source>
        <translation>e</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/encoder_decoder_diagram.cpp" line="203" />
        <source>encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="66" />
        <source>The Embedding view is for encoders (bert, e.g. bge-small or all-MiniLM): %1 is a decoder; its output is the next-token distribution (see Sampling).</source>
        <translation>“嵌入”视图用于编码器(bert,例如 bge-small 或 all-MiniLM):%1 是解码器,它的输出是下一个词元的分布(见“采样”)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="73" />
        <source>%1 pools nothing (bert.pooling_type none): one vector per token, no sentence embedding.</source>
        <translation>%1 不做池化(bert.pooling_type none):每个词元一个向量,没有句子嵌入。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="75" />
        <source>No embedding in this trace.</source>
        <translation>此追踪中没有嵌入。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="92" />
        <source>Type sentences in the box, one per line, to compare them.</source>
        <translation>在框中输入句子(每行一句)来比较它们。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="40" />
        <location filename="../../widgets/views/norms_view.cpp" line="219" />
        <location filename="../../widgets/views/norms_view.cpp" line="311" />
        <location filename="../../widgets/views/rope_view.cpp" line="122" />
        <location filename="../../widgets/views/sampling_view.cpp" line="474" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请先在一段文本上运行模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="47" />
        <source>%1 is an encoder: it has no LM head to read its layers through (no logit lens).</source>
        <translation>%1 是编码器:没有语言模型头可用来读取各层(无 logit lens)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="442" />
        <source>model, T = 1</source>
        <translation>模型,T = 1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="443" />
        <source>drawn from</source>
        <translation>抽样所用</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="444" />
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="446" />
        <source>×%1, last %2</source>
        <translation>×%1,最近 %2 个</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="449" />
        <source>T = 0 (greedy)</source>
        <translation>T = 0(贪心)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="484" />
        <source>%1 is an encoder: it has no LM head, so no next-token distribution to sample (its output is the pooled embedding: see the Embedding view).</source>
        <translation>%1 是编码器:没有语言模型头,因此没有可采样的下一个词元分布(它的输出是池化后的嵌入:见“嵌入”视图)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="499" />
        <source>The sampler reported no stages.</source>
        <translation>采样器没有报告任何阶段。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="547" />
        <source>%1 bits</source>
        <translation>%1 比特</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="548" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="87" />
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="223" />
        <source>This trace kept no residual statistics (capture: residual).</source>
        <translation>此追踪没有保留残差统计(捕获:residual)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="110" />
        <source>No model yet: load one to see its positions.</source>
        <translation>尚无模型:加载一个模型以查看其位置编码。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="126" />
        <source>RoPE needs an even head size (got %1).</source>
        <translation>RoPE 需要偶数的头维度(实际为 %1)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="178" />
        <source>This model uses MLA: only its decoupled RoPE key rotates, inside attention; no q and k vectors are stored to show.</source>
        <translation>此模型使用 MLA:只有解耦的 RoPE 键在注意力内部旋转;没有可显示的 q 和 k 向量。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="182" />
        <source>Tracing this layer's q and k… (this model's trace keeps them for the selected layer only)</source>
        <translation>正在追踪这一层的 q 和 k…(此模型的追踪只为所选层保存它们)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="183" />
        <source>This trace kept no q and k vectors (capture: q/k).</source>
        <translation>此追踪没有保留 q 和 k 向量(捕获:q/k)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="203" />
        <source>q or k of layer %1 has an unexpected shape.</source>
        <translation>第 %1 层的 q 或 k 形状不符合预期。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="49" />
        <source>Mixture of experts is off: the FFN is dense, as trained.
Set Experts E (Architecture dock → Mixture of experts) to split each FFN into experts.
Set moe.experts to see perplexity against k.</source>
        <translation>混合专家未开启:FFN 与训练时一样是稠密的。
设置专家数 E(“架构”停靠窗 → 混合专家)可把每个 FFN 拆分为专家。
设置 moe.experts 可查看困惑度随 k 的变化。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="57" />
        <source>Layer %1 recorded no routing.</source>
        <translation>第 %1 层没有记录路由。</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="484" />
        <location filename="../../widgets/views/sampling_view.cpp" line="548" />
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="484" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="485" />
        <source>%1 %2 %3–%4, context %5</source>
        <translation>%1 %2 %3–%4,上下文 %5</translation>
    </message>
</context>
<context>
    <name>anatomy::Knob</name>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="25" />
        <source>Placement</source>
        <comment>norm.placement</comment>
        <translation>放置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="26" />
        <source>Type</source>
        <comment>norm.type</comment>
        <translation>类型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="27" />
        <source>ε</source>
        <comment>norm.eps</comment>
        <translation>ε</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="28" />
        <source>DeepNorm α</source>
        <comment>norm.alpha</comment>
        <translation>DeepNorm α</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="29" />
        <source>Activation</source>
        <comment>ffn.act</comment>
        <translation>激活函数</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="30" />
        <source>Leaky slope</source>
        <comment>ffn.slope</comment>
        <translation>Leaky 斜率</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="31" />
        <source>ELU α</source>
        <comment>ffn.alpha</comment>
        <translation>ELU α</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="32" />
        <source>Swish β</source>
        <comment>ffn.beta</comment>
        <translation>Swish β</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="33" />
        <source>Encoding</source>
        <comment>pos</comment>
        <translation>编码方式</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="34" />
        <source>RoPE base</source>
        <comment>rope.base</comment>
        <translation>RoPE 基数</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="35" />
        <source>Scaling</source>
        <comment>rope.scaling</comment>
        <translation>缩放方法</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="36" />
        <source>Factor s</source>
        <comment>rope.factor</comment>
        <translation>缩放因子 s</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="37" />
        <source>Original context</source>
        <comment>rope.original</comment>
        <translation>原始上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="38" />
        <source>Ramp α</source>
        <comment>rope.alpha</comment>
        <translation>斜坡 α</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="39" />
        <source>Ramp β</source>
        <comment>rope.beta</comment>
        <translation>斜坡 β</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="40" />
        <source>Llama 3 low</source>
        <comment>rope.low_freq</comment>
        <translation>Llama 3 低频</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="41" />
        <source>Llama 3 high</source>
        <comment>rope.high_freq</comment>
        <translation>Llama 3 高频</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="42" />
        <source>Scale × 1/√d</source>
        <comment>attn.scale</comment>
        <translation>缩放 × 1/√d</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="43" />
        <source>Mask</source>
        <comment>attn.mask</comment>
        <translation>掩码</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="44" />
        <source>Prefix length</source>
        <comment>attn.prefix</comment>
        <translation>前缀长度</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="45" />
        <source>Sparse pattern</source>
        <comment>attn.sparse</comment>
        <translation>稀疏模式</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="46" />
        <source>Window W</source>
        <comment>attn.window</comment>
        <translation>窗口 W</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="47" />
        <source>Sinks S</source>
        <comment>attn.sinks</comment>
        <translation>汇聚词元 S</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="48" />
        <source>Stride</source>
        <comment>attn.stride</comment>
        <translation>步长</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="49" />
        <source>Chunk</source>
        <comment>attn.chunk</comment>
        <translation>块长</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="50" />
        <source>S2 group G</source>
        <comment>attn.group</comment>
        <translation>S2 分组 G</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="51" />
        <source>Kernel</source>
        <comment>attn.kernel</comment>
        <translation>核函数</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="52" />
        <source>Ablated</source>
        <comment>heads.ablate</comment>
        <translation>已消融</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="53" />
        <source>Gated</source>
        <comment>heads.gate</comment>
        <translation>已门控</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="54" />
        <source>Sharing</source>
        <comment>kv.sharing</comment>
        <translation>共享方式</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="55" />
        <source>KV heads</source>
        <comment>kv.groups</comment>
        <translation>KV 头数</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="56" />
        <source>Latent rank r</source>
        <comment>kv.rank</comment>
        <translation>潜变量秩 r</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="57" />
        <source>Experts E</source>
        <comment>moe.experts</comment>
        <translation>专家数 E</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="58" />
        <source>Top-k</source>
        <comment>moe.k</comment>
        <translation>Top-k</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="59" />
        <source>Gate</source>
        <comment>moe.gate</comment>
        <translation>门控</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="60" />
        <source>Router noise</source>
        <comment>moe.noise</comment>
        <translation>路由噪声</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="61" />
        <source>Seed</source>
        <comment>moe.seed</comment>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="62" />
        <source>Capacity factor</source>
        <comment>moe.capacity</comment>
        <translation>容量因子</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="63" />
        <source>Switch routing</source>
        <comment>moe.switch</comment>
        <translation>Switch 路由</translation>
    </message>
</context>
<context>
    <name>anatomy::KnobChoice</name>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="68" />
        <source>pre-norm</source>
        <comment>norm.placement=pre</comment>
        <translation>前置归一化(pre-norm)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="69" />
        <source>post-norm</source>
        <comment>norm.placement=post</comment>
        <translation>后置归一化(post-norm)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="70" />
        <source>sandwich</source>
        <comment>norm.placement=sandwich</comment>
        <translation>三明治(sandwich)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="71" />
        <source>DeepNorm</source>
        <comment>norm.placement=deepnorm</comment>
        <translation>DeepNorm</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="72" />
        <source>RMSNorm</source>
        <comment>norm.type=rms</comment>
        <translation>RMSNorm</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="73" />
        <source>LayerNorm</source>
        <comment>norm.type=layer</comment>
        <translation>LayerNorm</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="74" />
        <source>SiLU</source>
        <comment>ffn.act=silu</comment>
        <translation>SiLU</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="75" />
        <source>GELU (tanh)</source>
        <comment>ffn.act=gelu-tanh</comment>
        <translation>GELU(tanh)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="76" />
        <source>GELU (erf)</source>
        <comment>ffn.act=gelu-erf</comment>
        <translation>GELU(erf)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="77" />
        <source>ReLU</source>
        <comment>ffn.act=relu</comment>
        <translation>ReLU</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="78" />
        <source>leaky ReLU</source>
        <comment>ffn.act=leaky-relu</comment>
        <translation>Leaky ReLU</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="79" />
        <source>ELU</source>
        <comment>ffn.act=elu</comment>
        <translation>ELU</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="80" />
        <source>Swish</source>
        <comment>ffn.act=swish</comment>
        <translation>Swish</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="81" />
        <source>RoPE</source>
        <comment>pos=rope</comment>
        <translation>RoPE</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="82" />
        <source>none</source>
        <comment>pos=none</comment>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="83" />
        <source>ALiBi</source>
        <comment>pos=alibi</comment>
        <translation>ALiBi</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="84" />
        <source>none (as trained)</source>
        <comment>rope.scaling=none</comment>
        <translation>无(与训练时相同)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="85" />
        <source>PI (linear)</source>
        <comment>rope.scaling=linear</comment>
        <translation>PI(线性插值)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="86" />
        <source>NTK-aware</source>
        <comment>rope.scaling=ntk</comment>
        <translation>NTK-aware</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="87" />
        <source>dynamic NTK</source>
        <comment>rope.scaling=dynamic-ntk</comment>
        <translation>动态 NTK</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="88" />
        <source>NTK-by-parts</source>
        <comment>rope.scaling=ntk-by-parts</comment>
        <translation>NTK-by-parts</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="89" />
        <source>YaRN</source>
        <comment>rope.scaling=yarn</comment>
        <translation>YaRN</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="90" />
        <source>Llama 3</source>
        <comment>rope.scaling=llama3</comment>
        <translation>Llama 3</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="91" />
        <source>causal</source>
        <comment>attn.mask=causal</comment>
        <translation>因果</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="92" />
        <source>bidirectional</source>
        <comment>attn.mask=bidirectional</comment>
        <translation>双向</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="93" />
        <source>prefix-LM</source>
        <comment>attn.mask=prefix</comment>
        <translation>前缀 LM</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="94" />
        <source>none</source>
        <comment>attn.sparse=none</comment>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="95" />
        <source>sliding window</source>
        <comment>attn.sparse=window</comment>
        <translation>滑动窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="96" />
        <source>sinks + window</source>
        <comment>attn.sparse=sinks</comment>
        <translation>汇聚词元 + 窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="97" />
        <source>strided</source>
        <comment>attn.sparse=strided</comment>
        <translation>跨步</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="98" />
        <source>dual chunk</source>
        <comment>attn.sparse=dual-chunk</comment>
        <translation>双块(DCA)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="99" />
        <source>shifted sparse (S2)</source>
        <comment>attn.sparse=s2</comment>
        <translation>移位稀疏(S2)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="100" />
        <source>softmax</source>
        <comment>attn.kernel=softmax</comment>
        <translation>softmax</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="101" />
        <source>linear (elu + 1)</source>
        <comment>attn.kernel=linear</comment>
        <translation>线性(elu + 1)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="102" />
        <source>as loaded (GQA)</source>
        <comment>kv.sharing=as-loaded</comment>
        <translation>按加载(GQA)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="103" />
        <source>MQA</source>
        <comment>kv.sharing=mqa</comment>
        <translation>MQA</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="104" />
        <source>MHA</source>
        <comment>kv.sharing=mha</comment>
        <translation>MHA</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="105" />
        <source>GQA groups</source>
        <comment>kv.sharing=groups</comment>
        <translation>GQA 分组</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="106" />
        <source>latent (MLA-style)</source>
        <comment>kv.sharing=latent</comment>
        <translation>潜变量(MLA 式)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="107" />
        <source>one (plain sum)</source>
        <comment>moe.gate=one</comment>
        <translation>1(直接求和)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="108" />
        <source>softmax over top-k</source>
        <comment>moe.gate=softmax</comment>
        <translation>top-k 上的 softmax</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="109" />
        <source>router probability</source>
        <comment>moe.gate=prob</comment>
        <translation>路由概率</translation>
    </message>
</context>
<context>
    <name>anatomy::KnobGroup</name>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="123" />
        <source>Norms</source>
        <comment>group</comment>
        <translation>归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="124" />
        <source>FFN activation</source>
        <comment>group</comment>
        <translation>FFN 激活函数</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="125" />
        <source>Positions</source>
        <comment>group</comment>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="126" />
        <source>Attention</source>
        <comment>group</comment>
        <translation>注意力</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="127" />
        <source>Heads</source>
        <comment>group</comment>
        <translation>注意力头</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="128" />
        <source>KV sharing</source>
        <comment>group</comment>
        <translation>KV 共享</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="129" />
        <source>Mixture of experts</source>
        <comment>group</comment>
        <translation>混合专家</translation>
    </message>
</context>
<context>
    <name>anatomy::KnobHelp</name>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="26" />
        <source>Pick a head</source>
        <translation>选取注意力头</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="27" />
        <source>Choose a layer and a head, then ablate it (zero or mean) or gate it. Every intervention is listed below and can be removed one by one; they are sent as heads.ablate and heads.gate.</source>
        <translation>选择一层和一个头,然后将其消融(置零或取均值)或加门控。每项干预都列在下方,可逐项移除;它们以 heads.ablate 和 heads.gate 的形式发送。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="32" />
        <source>Perplexity context</source>
        <translation>困惑度上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="33" />
        <source>Window length C of the perplexity protocol: the text is cut into windows of C tokens, each starting fresh from BOS. The trained context of stories260K is 512; longer windows show how the positions (and the RoPE scaling) extrapolate.</source>
        <translation>困惑度评测协议的窗口长度 C:文本被切成每段 C 个词元的窗口,每个窗口都从 BOS 重新开始。stories260K 训练时的上下文为 512;更长的窗口可以看出位置编码(以及 RoPE 缩放)如何外推。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="38" />
        <source>Perplexity window</source>
        <translation>困惑度窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="39" />
        <source>Which part of the corpus is scored: a start offset and a length, in tokens of the encoded file or in characters. The text is TinyStories (CDLA-Sharing-1.0). The value is compared with the model as trained on exactly the same tokens.</source>
        <translation>对语料的哪一部分打分:起始偏移和长度,单位为编码后文件中的词元或字符。文本为 TinyStories(CDLA-Sharing-1.0)。所得值与训练时原样的模型在完全相同的词元上的结果进行比较。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_help.cpp" line="66" />
        <source>(default %1)</source>
        <translation>(默认 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="135" />
        <source>Where each sublayer's norm sits. pre (as trained): the sublayer reads a normed copy and adds to the raw residual. post (original Transformer): the sum is normed. sandwich: pre-norm plus a norm of the sublayer output before the add (the checkpoint has no gain for it: gain 1). deepnorm (DeepNet): post-norm with the residual scaled by alpha; DeepNet's beta only scales weights at initialisation, so it has no effect on a trained checkpoint.</source>
        <comment>norm.placement</comment>
        <translation>每个子层的归一化放在哪里。pre(与训练时相同):子层读取归一化后的副本,结果加到未归一化的残差上。post(原始 Transformer):对相加之和做归一化。sandwich:在 pre-norm 的基础上,相加之前再对子层输出做一次归一化(检查点中没有它的增益:增益取 1)。deepnorm(DeepNet):残差乘以 alpha 的 post-norm;DeepNet 的 beta 只在初始化时缩放权重,因此对已训练的检查点没有影响。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="142" />
        <source>RMSNorm (as trained) rescales by the root mean square; LayerNorm also subtracts the mean. Both use the learned gain g; LayerNorm gets no bias (the checkpoint has none).</source>
        <comment>norm.type</comment>
        <translation>RMSNorm(与训练时相同)按均方根重新缩放;LayerNorm 还会先减去均值。两者都使用学到的增益 g;LayerNorm 不加偏置(检查点中没有偏置)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="146" />
        <source>The epsilon inside the norm's square root; guards against division by zero for tiny vectors. model: the checkpoint's own.</source>
        <comment>norm.eps</comment>
        <translation>归一化中平方根内的 epsilon;防止向量极小时除以零。model(模型):使用检查点自身的值。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="150" />
        <source>DeepNorm's residual scale alpha (only with norm.placement=deepnorm). auto uses the DeepNet decoder-only value for this depth.</source>
        <comment>norm.alpha</comment>
        <translation>DeepNorm 的残差缩放系数 alpha(仅在 norm.placement=deepnorm 时生效)。auto(自动)使用 DeepNet 针对此深度给出的仅解码器(decoder-only)取值。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="154" />
        <source>The nonlinearity applied to the gate W1 x of the SwiGLU FFN (the up projection W3 x still multiplies it). gelu-tanh is the tanh approximation, gelu-erf the exact erf form.</source>
        <comment>ffn.act</comment>
        <translation>作用在 SwiGLU FFN 门控分支 W1 x 上的非线性函数(上投影 W3 x 仍与它相乘)。gelu-tanh 是 tanh 近似,gelu-erf 是精确的 erf 形式。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="158" />
        <source>Leaky ReLU's slope for negative inputs.</source>
        <comment>ffn.slope</comment>
        <translation>Leaky ReLU 在负输入上的斜率。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="159" />
        <source>ELU's saturation value for very negative inputs.</source>
        <comment>ffn.alpha</comment>
        <translation>ELU 在输入很负时趋近的饱和值。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="160" />
        <source>Swish's beta; beta = 1 is SiLU, large beta approaches ReLU.</source>
        <comment>ffn.beta</comment>
        <translation>Swish 的 beta;beta = 1 即 SiLU,beta 很大时趋近 ReLU。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="161" />
        <source>How positions enter attention. rope (as trained) rotates q and k; none drops position information (the causal mask alone still leaks order); alibi adds a linear distance penalty per head with geometric slopes instead of rotating.</source>
        <comment>pos</comment>
        <translation>位置信息如何进入注意力。rope(与训练时相同)旋转 q 和 k;none 去掉位置信息(仅靠因果掩码仍会泄露顺序);alibi 不做旋转,而是给每个头加上随距离线性增长的惩罚,各头斜率成等比数列。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="166" />
        <source>RoPE's base b: larger bases rotate slower, so distant positions stay distinguishable longer. model: the checkpoint's own.</source>
        <comment>rope.base</comment>
        <translation>RoPE 的基数 b:基数越大旋转越慢,相距较远的位置在更长的距离内仍可区分。model(模型):使用检查点自身的值。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="170" />
        <source>Context extension by changing RoPE's frequencies, with factor s and original context L0. linear (position interpolation): every frequency / s. ntk: a larger base. dynamic-ntk: ntk with s grown from the current length once it passes L0 (keys cached by earlier calls keep their old rotation, as in Hugging Face's implementation). ntk-by-parts: interpolate only the low frequencies, ramping between alpha and beta rotations per L0. yarn: ntk-by-parts plus an attention temperature on the logits. llama3: the same ramp expressed in wavelengths with low/high frequency factors.</source>
        <comment>rope.scaling</comment>
        <translation>通过改变 RoPE 的频率来扩展上下文,缩放因子为 s,原始上下文为 L0。linear(位置插值):每个频率都除以 s。ntk:改用更大的基数。dynamic-ntk:长度超过 L0 后按当前长度增大 s 的 ntk(之前调用缓存的键保留原来的旋转,与 Hugging Face 的实现相同)。ntk-by-parts:只对低频做插值,按在 L0 内旋转的圈数在 alpha 与 beta 之间线性过渡。yarn:ntk-by-parts 再加上作用于 logits 的注意力温度。llama3:用波长表示的同一种过渡,配有低频/高频因子。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="179" />
        <source>The scaling factor s (target context / original context).</source>
        <comment>rope.factor</comment>
        <translation>缩放因子 s(目标上下文 / 原始上下文)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="180" />
        <source>The original context L0 the scaling refers to.</source>
        <comment>rope.original</comment>
        <translation>缩放所依据的原始上下文长度 L0。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="181" />
        <source>NTK-by-parts/YaRN: dimensions with fewer than alpha rotations over L0 are fully interpolated.</source>
        <comment>rope.alpha</comment>
        <translation>NTK-by-parts/YaRN:在 L0 内旋转少于 alpha 圈的维度完全插值。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="184" />
        <source>NTK-by-parts/YaRN: dimensions with more than beta rotations over L0 are kept.</source>
        <comment>rope.beta</comment>
        <translation>NTK-by-parts/YaRN:在 L0 内旋转多于 beta 圈的维度保持不变。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="187" />
        <source>Llama 3 low-frequency factor.</source>
        <comment>rope.low_freq</comment>
        <translation>Llama 3 的低频因子。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="188" />
        <source>Llama 3 high-frequency factor.</source>
        <comment>rope.high_freq</comment>
        <translation>Llama 3 的高频因子。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="189" />
        <source>A multiplier on the 1/sqrt(d_k) score scale: above 1 sharpens every softmax (lower entropy, recorded per head in the trace), below 1 flattens it.</source>
        <comment>attn.scale</comment>
        <translation>乘在分数缩放 1/sqrt(d_k) 上的系数:大于 1 使每个 softmax 更尖锐(熵更低,追踪中按头记录),小于 1 则使其更平坦。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="193" />
        <source>causal (as trained): a token sees itself and the past. bidirectional: every token of the prompt sees every other (the batch is attended as a whole, so this leaks the future). prefix: the first attn.prefix tokens see each other bidirectionally, the rest causally (prefix-LM).</source>
        <comment>attn.mask</comment>
        <translation>causal(与训练时相同):词元只看到自身和之前的词元。bidirectional:提示词中的每个词元都能看到其他所有词元(整批一起做注意力,因此会泄露未来信息)。prefix:前 attn.prefix 个词元彼此双向可见,其余词元按因果方式(前缀 LM)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="198" />
        <source>Prefix length P for attn.mask=prefix.</source>
        <comment>attn.prefix</comment>
        <translation>attn.mask=prefix 时的前缀长度 P。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="199" />
        <source>Sparse attention patterns on top of the causal mask. window: the last W tokens (Longformer/Mistral). sinks: the first S tokens plus the window (StreamingLLM's attention sinks). strided: the local W tokens plus every stride-th token before them (Sparse Transformer). dual-chunk: chunks of attn.chunk tokens with positions remapped so no relative distance exceeds the trained range (intra-chunk, successive-chunk, inter-chunk). s2: LongLoRA's shifted sparse attention, groups of attn.group tokens, half the heads shifted by half a group.</source>
        <comment>attn.sparse</comment>
        <translation>叠加在因果掩码之上的稀疏注意力模式。window:最近的 W 个词元(Longformer/Mistral)。sinks:开头的 S 个词元加上窗口(StreamingLLM 的注意力汇聚词元)。strided:局部的 W 个词元,再加上它们之前每隔 stride 个取一个的词元(Sparse Transformer)。dual-chunk:以 attn.chunk 个词元为一块,并重新映射位置,使任何相对距离都不超出训练时的范围(块内、相邻块、块间)。s2:LongLoRA 的移位稀疏注意力,每 attn.group 个词元为一组,一半的头平移半组。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="207" />
        <source>Window length W for window, sinks and strided.</source>
        <comment>attn.window</comment>
        <translation>window、sinks 和 strided 的窗口长度 W。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="208" />
        <source>Number S of attention-sink tokens kept at the start.</source>
        <comment>attn.sinks</comment>
        <translation>保留在开头的注意力汇聚词元个数 S。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="209" />
        <source>Stride of the strided pattern.</source>
        <comment>attn.stride</comment>
        <translation>strided 模式的步长。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="210" />
        <source>Chunk size for dual-chunk attention.</source>
        <comment>attn.chunk</comment>
        <translation>双块注意力(dual-chunk)的块大小。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="211" />
        <source>Group size G of shifted sparse attention (S2).</source>
        <comment>attn.group</comment>
        <translation>移位稀疏注意力(S2)的分组大小 G。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="212" />
        <source>linear replaces softmax(q.k) by the kernel phi(q).phi(k) with phi = elu + 1, so the causal sum can be kept as running prefix sums: O(N d^2) instead of softmax's O(N^2 d).</source>
        <comment>attn.kernel</comment>
        <translation>linear 用核函数 phi(q).phi(k) 取代 softmax(q.k),其中 phi = elu + 1,于是因果求和可以用逐步累加的前缀和来维护:复杂度为 O(N d^2),而 softmax 为 O(N^2 d)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="216" />
        <source>Removes heads: zero sets the head's output to 0; mean replaces it by its mean over the positions of the batch (mean ablation keeps the average contribution).</source>
        <comment>heads.ablate</comment>
        <translation>移除注意力头:zero 把该头的输出置为 0;mean 用它在这一批各位置上的均值替换(均值消融保留了平均贡献)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="220" />
        <source>Manual counterfactual: multiplies a head's output by a sigmoid gate sigma(g) set by hand. The checkpoint has no trained gates; this shows what a gated-attention model could do. g = -inf closes the gate.</source>
        <comment>heads.gate</comment>
        <translation>手动的反事实实验:把一个头的输出乘以手动设定的 sigmoid 门 sigma(g)。检查点中没有训练过的门控;这里演示门控注意力模型能做到什么。g = -inf 时门完全关闭。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="225" />
        <source>How many key/value heads serve the query heads. as-loaded: GQA with the model's KV heads. mqa: one KV head, the mean of the KV heads' W_K / W_V rows. mha: one KV head per query head, duplicated from its group. groups: kv.groups KV heads, each the mean of the original KV heads its query heads read. latent (MLA-style): [W_K; W_V] replaced by its rank-r truncated SVD, so every token caches one r-dimensional latent c = V_r^T x per layer.</source>
        <comment>kv.sharing</comment>
        <translation>由多少个键/值头为查询头服务。as-loaded:使用模型自身 KV 头的 GQA。mqa:只有一个 KV 头,取各 KV 头 W_K / W_V 行的均值。mha:每个查询头一个 KV 头,从其所在的组复制而来。groups:kv.groups 个 KV 头,每个取其查询头原先读取的那些 KV 头的均值。latent(MLA 式):把 [W_K; W_V] 换成它的秩 r 截断 SVD,这样每个词元每层只缓存一个 r 维潜变量 c = V_r^T x。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="232" />
        <source>Number of KV heads for kv.sharing=groups.</source>
        <comment>kv.groups</comment>
        <translation>kv.sharing=groups 时的 KV 头数。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="233" />
        <source>Latent rank r for kv.sharing=latent.</source>
        <comment>kv.rank</comment>
        <translation>kv.sharing=latent 时的潜变量秩 r。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="234" />
        <source>MoEfication of the dense checkpoint: each FFN's hidden units are split into E experts by balanced k-means on the rows [W1_u, W3_u] (seeded). The router score of an expert is its centroid's W1 half dotted with the normed FFN input, i.e. the mean gate pre-activation of its units. Experts are evaluated densely and masked, which gives the same numbers as sparse execution; the trace reports the parameters a sparse kernel would touch.</source>
        <comment>moe.experts</comment>
        <translation>把稠密检查点 MoE 化(MoEfication):对行 [W1_u, W3_u] 做均衡 k-means(带种子),把每个 FFN 的隐藏单元分成 E 个专家。一个专家的路由分数是其质心的 W1 部分与归一化后 FFN 输入的点积,即该专家各单元门控预激活的均值。专家按稠密方式计算再加掩码,结果与稀疏执行完全相同;追踪中报告的是稀疏核实际会用到的参数量。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="241" />
        <source>Experts per token (top-k routing). k = E reproduces the dense FFN with moe.gate=one.</source>
        <comment>moe.k</comment>
        <translation>每个词元使用的专家数(top-k 路由)。k = E 且 moe.gate=one 时重现稠密 FFN。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="244" />
        <source>Weight of a chosen expert: one (plain sum, exact for MoEfication), softmax (renormalised over the top k, Mixtral), prob (softmax over all experts, Switch).</source>
        <comment>moe.gate</comment>
        <translation>被选中专家的权重:one(直接求和,对 MoEfication 是精确的)、softmax(在 top k 上重新归一化,Mixtral)、prob(在所有专家上做 softmax,Switch)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="248" />
        <source>Noisy top-k gating (Shazeer 2017) with a fixed noise scale instead of a learned one; seeded.</source>
        <comment>moe.noise</comment>
        <translation>带噪声的 top-k 门控(Shazeer 2017),噪声尺度固定而非学习得到;带种子。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="251" />
        <source>Seed for k-means initialisation and router noise.</source>
        <comment>moe.seed</comment>
        <translation>k-means 初始化和路由噪声的随机种子。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="252" />
        <source>Expert capacity: each expert takes at most C tokens in a batch, in order; overflowing tokens get no output from that expert (with k = 1 they pass through with zero FFN output).</source>
        <comment>moe.capacity</comment>
        <translation>专家容量:每个专家在一批中按顺序最多接收 C 个词元;溢出的词元得不到该专家的输出(k = 1 时它们直接通过,FFN 输出为零)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="256" />
        <source>Shorthand for Switch-style routing: moe.k=1 moe.gate=prob.</source>
        <comment>moe.switch</comment>
        <translation>Switch 式路由的简写:moe.k=1 moe.gate=prob。</translation>
    </message>
</context>
<context>
    <name>anatomy::KnobSpecial</name>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="114" />
        <source>the model's</source>
        <comment>rope.original</comment>
        <translation>模型自身的</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="115" />
        <source>unset</source>
        <comment>kv.groups</comment>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="116" />
        <source>unset</source>
        <comment>kv.rank</comment>
        <translation>未设置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="117" />
        <source>dense, as trained</source>
        <comment>moe.experts</comment>
        <translation>稠密(与训练时相同)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="118" />
        <source>unlimited</source>
        <comment>moe.capacity</comment>
        <translation>不限</translation>
    </message>
</context>
<context>
    <name>anatomy::KnobWord</name>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="262" />
        <source>model</source>
        <comment>norm.eps</comment>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="263" />
        <source>auto</source>
        <comment>norm.alpha</comment>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/knob_text.cpp" line="264" />
        <source>model</source>
        <comment>rope.base</comment>
        <translation>模型</translation>
    </message>
</context>
<context>
    <name>anatomy::gui::MainWindow</name>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="69" />
        <source>Transformer Anatomy</source>
        <translation>Transformer 解剖</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="219" />
        <source>Type a prompt; every view follows as you type.</source>
        <translation>输入提示词;所有视图随输入实时更新。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="228" />
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="229" />
        <source>Sample new tokens with the current settings (Ctrl+Return)</source>
        <translation>用当前设置采样新词元(Ctrl+Return)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="233" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="234" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="235" />
        <source>Sample one token (Ctrl+Space)</source>
        <translation>采样一个词元(Ctrl+Space)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="236" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="237" />
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="238" />
        <source>Back to the prompt before generating (Ctrl+R)</source>
        <translation>回到生成前的提示词(Ctrl+R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="240" />
        <source>Colour by surprisal</source>
        <translation>按惊奇度着色</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="241" />
        <source>Colour by probability</source>
        <translation>按概率着色</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="299" />
        <source>Beside ▸</source>
        <translation>并排 ▸</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="300" />
        <source>Show this view in a second pane beside the others</source>
        <translation>在旁边的第二个窗格中显示此视图</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="307" />
        <source>◂ Back</source>
        <translation>◂ 返回</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="308" />
        <source>Move this view back to the main pane</source>
        <translation>把此视图移回主窗格</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="407" />
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="435" />
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="436" />
        <source>&amp;Open session…</source>
        <translation>打开会话(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="437" />
        <source>&amp;Save session…</source>
        <translation>保存会话(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="441" />
        <source>&amp;Export view image…</source>
        <translation>导出视图图像(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="442" />
        <source>Export view &amp;data (CSV)…</source>
        <translation>导出视图数据(CSV)(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="444" />
        <source>&amp;Copy view</source>
        <translation>复制视图(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="446" />
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="448" />
        <source>&amp;Model</source>
        <translation>模型(&amp;M)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="449" />
        <source>&amp;Open model file…</source>
        <translation>打开模型文件(&amp;O)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="450" />
        <source>Model &amp;manager…</source>
        <translation>模型管理器(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="452" />
        <location filename="../../app/gui/main_window.cpp" line="453" />
        <source>&amp;Generate</source>
        <translation>生成(&amp;G)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="454" />
        <source>&amp;Step one token</source>
        <translation>单步生成一个词元(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="455" />
        <source>S&amp;top</source>
        <translation>停止(&amp;T)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="456" />
        <source>&amp;Reset to prompt</source>
        <translation>重置为提示词(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="458" />
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="460" />
        <source>&amp;Show view</source>
        <translation>显示视图(&amp;S)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="461" />
        <source>View &amp;beside</source>
        <translation>并排视图(&amp;B)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="467" />
        <source>&amp;None (one pane)</source>
        <translation>无(单窗格)(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="475" />
        <source>&amp;Hide docks</source>
        <translation>隐藏停靠窗(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="481" />
        <source>&amp;Reset layout</source>
        <translation>重置布局(&amp;R)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="485" />
        <source>&amp;Pin trace as A</source>
        <translation>把追踪固定为 A(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="486" />
        <source>&amp;Compare with A</source>
        <translation>与 A 比较(&amp;C)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="492" />
        <source>&amp;Presentation mode</source>
        <translation>演示模式(&amp;P)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="504" />
        <source>&amp;Navigate</source>
        <translation>导航(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="511" />
        <source>Previous position</source>
        <translation>上一个位置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="512" />
        <source>Next position</source>
        <translation>下一个位置</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="513" />
        <source>Previous layer</source>
        <translation>上一层</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="514" />
        <source>Next layer</source>
        <translation>下一层</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="515" />
        <source>Previous head</source>
        <translation>上一个头</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="516" />
        <source>Next head</source>
        <translation>下一个头</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="543" />
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="544" />
        <source>&amp;About</source>
        <translation>关于(&amp;A)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="545" />
        <source>About Transformer Anatomy</source>
        <translation>关于 Transformer 解剖</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="546" />
        <source>&lt;b&gt;Transformer Anatomy&lt;/b&gt;&lt;br&gt;Small real language models on the CPU, with their internals drawn live.&lt;br&gt;&lt;br&gt;Keys: ←/→ position, ↑/↓ layer, PgUp/PgDn or [ ] head, F5 presentation mode.</source>
        <translation>&lt;b&gt;Transformer 解剖&lt;/b&gt;&lt;br&gt;在 CPU 上运行的小型真实语言模型,实时绘制其内部。&lt;br&gt;&lt;br&gt;按键:←/→ 位置,↑/↓ 层,PgUp/PgDn 或 [ ] 头,F5 演示模式。</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="553" />
        <source>no model</source>
        <translation>无模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="560" />
        <source>Wall time of the forward pass behind the picture</source>
        <translation>生成此图的前向计算耗时</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="561" />
        <source>Decoding speed of the last generation</source>
        <translation>上次生成的解码速度</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="565" />
        <source>Perplexity on the TinyStories window chosen in the Architecture dock (text: TinyStories, CDLA-Sharing-1.0)</source>
        <translation>在“架构”停靠窗所选 TinyStories 窗口上的困惑度(文本:TinyStories,CDLA-Sharing-1.0)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="579" />
        <source>Trace failed: %1</source>
        <translation>追踪失败:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="581" />
        <source>trace %1 ms</source>
        <translation>追踪 %1 毫秒</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="592" />
        <source>%1 tok/s</source>
        <translation>%1 词元/秒</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="593" />
        <source>Generated %1 tokens</source>
        <translation>已生成 %1 个词元</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="621" />
        <source>ppl: failed</source>
        <translation>困惑度:失败</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="627" />
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="660" />
        <source>ppl computing…</source>
        <translation>困惑度计算中…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="678" />
        <source>ANATOMY_SIM_SET: %1</source>
        <translation>ANATOMY_SIM_SET:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="683" />
        <location filename="../../app/gui/main_window.cpp" line="1019" />
        <location filename="../../app/gui/main_window.cpp" line="1028" />
        <source>loading %1…</source>
        <translation>正在加载 %1…</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="708" />
        <source>KV cost of %1 not measured: %2</source>
        <translation>%1 的 KV 代价未测得:%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="792" />
        <source>Transformer Anatomy — %1</source>
        <translation>Transformer 解剖 — %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="806" />
        <location filename="../../app/gui/main_window.cpp" line="1037" />
        <source>no model loaded</source>
        <translation>未加载模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="807" />
        <source>Cannot load the model</source>
        <translation>无法加载模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="918" />
        <source>Pinned as A: %1 tokens, %2</source>
        <translation>已固定为 A:%1 个词元,%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="943" />
        <location filename="../../app/gui/window_lessons.cpp" line="181" />
        <source>A: %1</source>
        <translation>A:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="944" />
        <source>The pinned trace A (%1); the main pane shows the current trace B</source>
        <translation>固定的追踪 A(%1);主窗格显示当前追踪 B</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1016" />
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1017" />
        <source>Models (*.bin *.gguf);;All files (*)</source>
        <translation>模型 (*.bin *.gguf);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1042" />
        <source>timed out reading %1</source>
        <translation>读取 %1 超时</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1044" />
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1:%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1100" />
        <source>Warning: cannot read %1 to compare it with the session's: %2</source>
        <translation>警告:无法读取 %1,无法与会话中的模型比较:%2</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1103" />
        <source>Warning: %1 differs from the file the session was saved with (sha256 %2, saved %3)</source>
        <translation>警告:%1 与保存会话时的文件不同(sha256 %2,保存时为 %3)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1110" />
        <source>Open session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1111" />
        <location filename="../../app/gui/main_window.cpp" line="1118" />
        <source>Anatomy sessions (*.anatomy.json *.json)</source>
        <translation>Anatomy 会话 (*.anatomy.json *.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1113" />
        <source>Cannot open the session</source>
        <translation>无法打开会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1117" />
        <source>Save session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1121" />
        <source>Cannot save the session</source>
        <translation>无法保存会话</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1122" />
        <source>Saved %1</source>
        <translation>已保存 %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1128" />
        <source>Export view image</source>
        <translation>导出视图图像</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1145" />
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1146" />
        <source>Size (pixels)</source>
        <translation>尺寸(像素)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1154" />
        <source>Export image</source>
        <translation>导出图像</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1156" />
        <source>PNG image (*.png);;PDF document (*.pdf);;SVG drawing (*.svg)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1157" />
        <source>PNG image (*.png);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1163" />
        <location filename="../../app/gui/main_window.cpp" line="1173" />
        <source>Export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1164" />
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1170" />
        <source>Export %1 data</source>
        <translation>导出 %1 数据</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1171" />
        <source>CSV (*.csv)</source>
        <translation>CSV (*.csv)</translation>
    </message>
    <message>
        <location filename="../../app/gui/main_window.cpp" line="1180" />
        <source>Copied %1 (image and CSV)</source>
        <translation>已复制 %1(图像和 CSV)</translation>
    </message>
</context>
<context>
    <name>anatomy::gui::WindowLessons</name>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="51" />
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="108" />
        <source>Open &amp;lesson…</source>
        <translation>打开课程(&amp;L)…</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="109" />
        <source>Lesso&amp;ns</source>
        <translation>课程列表(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="120" />
        <source> (broken)</source>
        <translation>(已损坏)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="123" />
        <location filename="../../app/gui/window_lessons.cpp" line="194" />
        <source>Cannot open the lesson</source>
        <translation>无法打开课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="127" />
        <source>&amp;New lesson</source>
        <translation>新建课程(&amp;N)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="128" />
        <source>Untitled lesson</source>
        <translation>未命名课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="136" />
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="140" />
        <source>System (%1)</source>
        <translation>系统(%1)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="159" />
        <source>No translation for %1 in this build: the interface stays English.</source>
        <translation>此版本没有 %1 的翻译:界面保持英文。</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="184" />
        <source>Interface language: %1</source>
        <translation>界面语言:%1</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="192" />
        <source>Open lesson</source>
        <translation>打开课程</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="192" />
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <location filename="../../app/gui/window_lessons.cpp" line="297" />
        <source>Lesson: %1</source>
        <translation>课程:%1</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ActivationView</name>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="75" />
        <source>FFN activation: silu (as trained)</source>
        <translation>FFN 激活:silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="76" />
        <source>FFN activation: %1 against silu (as trained)</source>
        <translation>FFN 激活:%1 对比 silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="79" />
        <source>FFN(x) = W₂ (f(W₁x) ⊙ W₃x)   ·   max |f − silu| on [−6, 6]: %1</source>
        <translation>FFN(x) = W₂ (f(W₁x) ⊙ W₃x)   ·   [−6, 6] 上 max |f − silu|:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="95" />
        <source>silu (trained)</source>
        <translation>silu(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="131" />
        <source>value f(x)</source>
        <translation>值 f(x)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="131" />
        <source>f(x)</source>
        <translation>f(x)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="132" />
        <source>derivative f′(x)</source>
        <translation>导数 f′(x)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/activation_view.cpp" line="132" />
        <source>f′(x)</source>
        <translation>f′(x)</translation>
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
        <location filename="../../widgets/panels/architecture_panel.cpp" line="116" />
        <source>Reset to as trained</source>
        <translation>恢复为训练时的设置</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="117" />
        <source>Every knob back to the checkpoint's own architecture</source>
        <translation>所有旋钮恢复为检查点自身的架构</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="131" />
        <source>Perplexity on TinyStories</source>
        <translation>TinyStories 上的困惑度</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="293" />
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="294" />
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="299" />
        <source>Pick</source>
        <translation>选取</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="306" />
        <source>Ablate (zero)</source>
        <translation>消融(置零)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="307" />
        <source>Ablate (mean)</source>
        <translation>消融(均值)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="324" />
        <source>Gate</source>
        <translation>门控</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="328" />
        <source>Gate logit</source>
        <translation>门控 logit</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="333" />
        <source>g %1 → σ %2</source>
        <translation>g %1 → σ %2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="342" />
        <source>Active</source>
        <translation>生效中</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="344" />
        <source>Remove selected</source>
        <translation>移除所选</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="345" />
        <source>Remove all</source>
        <translation>全部移除</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="367" />
        <source>no model yet</source>
        <translation>尚无模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="383" />
        <source>from </source>
        <translation>从 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="387" />
        <source>length </source>
        <translation>长度 </translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="389" />
        <location filename="../../widgets/panels/architecture_panel.cpp" line="626" />
        <source>tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="389" />
        <location filename="../../widgets/panels/architecture_panel.cpp" line="626" />
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="401" />
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="405" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="407" />
        <source>Context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="461" />
        <source>zero-ablated</source>
        <translation>置零消融</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="462" />
        <source>mean-ablated</source>
        <translation>均值消融</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="464" />
        <source>gated, g = %1 (×%2)</source>
        <translation>门控,g = %1(×%2)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="468" />
        <source>L%1 H%2 %3</source>
        <translation>L%1 H%2 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="470" />
        <source>(none)</source>
        <translation>(无)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="531" />
        <location filename="../../widgets/panels/architecture_panel.cpp" line="689" />
        <source>&lt;p&gt;&lt;b&gt;Not for this model:&lt;/b&gt; %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;不适用于此模型:&lt;/b&gt;%1&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="574" />
        <source>&lt;b&gt;In use:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;使用中:&lt;/b&gt;%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="574" />
        <source>as trained</source>
        <translation>与训练时相同</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="583" />
        <source>Not applied: %1 (the views keep the last valid settings)</source>
        <translation>未应用:%1(视图保留上一次有效的设置)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="619" />
        <source>computing</source>
        <translation>计算中</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="619" />
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="627" />
        <source>%1 predictions in %2 windows of %3 tokens (%4 %5–%6 of %7). Text: TinyStories, CDLA-Sharing-1.0.</source>
        <translation>%2 个窗口(每个 %3 个词元)中的 %1 次预测(%7 的 %4 %5–%6)。文本:TinyStories,CDLA-Sharing-1.0。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="637" />
        <source> In context %1, beyond the trained %2 tokens %3.</source>
        <translation> 上下文 %1 超出训练时的 %2 个词元 %3。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/architecture_panel.cpp" line="646" />
        <source>ppl: %1</source>
        <translation>困惑度:%1</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::ArchitectureView</name>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="207" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请先在一段文本上运行模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="219" />
        <source>knobs</source>
        <translation>旋钮</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="271" />
        <source>query heads, coloured by the KV head they read</source>
        <translation>查询头,按其读取的 KV 头着色</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="274" />
        <source>experts</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="284" />
        <source>knob</source>
        <translation>旋钮</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="314" />
        <source>&lt;br&gt;&lt;i&gt;click: open this layer&lt;/i&gt;</source>
        <translation>&lt;br&gt;&lt;i&gt;点击:打开此层&lt;/i&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/architecture_view.cpp" line="315" />
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
        <location filename="../../widgets/views/attention_steps_view.cpp" line="363" />
        <source>Layer %1 · head %2 (KV head %3) · query %4 “%5” · d_k = %6</source>
        <translation>第 %1 层 · 第 %2 头(KV 头 %3)· 查询 %4 “%5” · d_k = %6</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="366" />
        <source> × %1</source>
        <translation> × %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="367" />
        <source> − ALiBi slope·|i−j|</source>
        <translation> − ALiBi 斜率·|i−j|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="370" />
        <source>s&lt;sub&gt;j&lt;/sub&gt; = q·k&lt;sub&gt;j&lt;/sub&gt; ÷ √%1 (= %2)%3%4, masked keys −∞ &amp;nbsp;→&amp;nbsp; p&lt;sub&gt;j&lt;/sub&gt; = e&lt;sup&gt;s&lt;sub&gt;j&lt;/sub&gt; − max s&lt;/sup&gt; / Σ e &amp;nbsp;→&amp;nbsp; o = Σ&lt;sub&gt;j&lt;/sub&gt; p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation>s&lt;sub&gt;j&lt;/sub&gt; = q·k&lt;sub&gt;j&lt;/sub&gt; ÷ √%1 (= %2)%3%4,被掩码的键为 −∞ &amp;nbsp;→&amp;nbsp; p&lt;sub&gt;j&lt;/sub&gt; = e&lt;sup&gt;s&lt;sub&gt;j&lt;/sub&gt; − max s&lt;/sup&gt; / Σ e &amp;nbsp;→&amp;nbsp; o = Σ&lt;sub&gt;j&lt;/sub&gt; p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="376" />
        <source>&lt;br&gt;Key read most, %1 “%2”: q·k = %3 → ÷√%4 = %5 → e&lt;sup&gt;%6&lt;/sup&gt; = %7 → ÷ %8 = &lt;b&gt;p %9&lt;/b&gt;</source>
        <translation>&lt;br&gt;读取最多的键 %1 “%2”:q·k = %3 → ÷√%4 = %5 → e&lt;sup&gt;%6&lt;/sup&gt; = %7 → ÷ %8 = &lt;b&gt;p %9&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="383" />
        <source>Linear attention: no softmax. p&lt;sub&gt;j&lt;/sub&gt; = φ(q)·φ(k&lt;sub&gt;j&lt;/sub&gt;) / Σ φ(q)·φ(k), φ = elu + 1; o = Σ p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</source>
        <translation>线性注意力:没有 softmax。p&lt;sub&gt;j&lt;/sub&gt; = φ(q)·φ(k&lt;sub&gt;j&lt;/sub&gt;) / Σ φ(q)·φ(k),φ = elu + 1;o = Σ p&lt;sub&gt;j&lt;/sub&gt; v&lt;sub&gt;j&lt;/sub&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="391" />
        <source>Without it this query's softmax would put %1 on one key (entropy %2 bits) instead of %3 (%4 bits).</source>
        <translation>不除的话,此查询的 softmax 会把 %1 压在一个键上(熵 %2 比特),而不是 %3(%4 比特)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="402" />
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="402" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="402" />
        <source>q·k</source>
        <translation>q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="387" />
        <source>Why ÷√d_k: this head's q·k over %1 (query, key) pairs has variance %2; ÷√%3 brings it to %4. </source>
        <translation>为什么 ÷√d_k:此头在 %1 个(查询,键)对上的 q·k 方差为 %2;÷√%3 后变为 %4。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="395" />
        <source> The trace's scores differ from q·k/√d_k by up to %1 here (dual chunk attention rotates q per key chunk).</source>
        <translation> 此处追踪的分数与 q·k/√d_k 最多相差 %1(双块注意力按键块旋转 q)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="402" />
        <source>score s</source>
        <translation>分数 s</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="402" />
        <source>÷√d_k</source>
        <translation>÷√d_k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="403" />
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="403" />
        <source>e^(s−max)</source>
        <translation>e^(s−max)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="403" />
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="427" />
        <source>Σ (%1 keys seen)</source>
        <translation>Σ(可见 %1 个键)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="486" />
        <source>vector</source>
        <translation>向量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="488" />
        <source>… %1 more, ‖·‖</source>
        <translation>… 另有 %1 个,‖·‖</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="488" />
        <source>‖·‖</source>
        <translation>‖·‖</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="493" />
        <source>q (query %1)</source>
        <translation>q(查询 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="494" />
        <source>k (key %1)</source>
        <translation>k(键 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="495" />
        <source>v (key %1)</source>
        <translation>v(键 %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="496" />
        <source>o = Σ pⱼ vⱼ</source>
        <translation>o = Σ pⱼ vⱼ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="531" />
        <source>Var(q·k) against dₖ</source>
        <translation>Var(q·k) 随 dₖ 的变化</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="537" />
        <location filename="../../widgets/views/attention_steps_view.cpp" line="574" />
        <source>head size dₖ</source>
        <translation>头维度 dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="538" />
        <source>variance</source>
        <translation>方差</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="541" />
        <source>random</source>
        <translation>随机</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="541" />
        <source>random, q·k</source>
        <translation>随机,q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="543" />
        <source>÷√dₖ</source>
        <translation>÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="543" />
        <source>random, q·k/√dₖ</source>
        <translation>随机,q·k/√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="553" />
        <source>head ÷√dₖ</source>
        <translation>此头 ÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="553" />
        <source>this head, ÷√dₖ</source>
        <translation>此头,÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="576" />
        <source>random, ÷√dₖ</source>
        <translation>随机,÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="577" />
        <source>random, no ÷√dₖ</source>
        <translation>随机,不 ÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="597" />
        <source>this query, no ÷√dₖ</source>
        <translation>此查询,不 ÷√dₖ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="551" />
        <source>this head</source>
        <translation>此头</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="551" />
        <source>this head, q·k</source>
        <translation>此头,q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="570" />
        <source>Softmax entropy over %1 keys</source>
        <translation>%1 个键上的 softmax 熵</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="575" />
        <source>bits</source>
        <translation>比特</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="589" />
        <source>uniform: log₂ %1 = %2</source>
        <translation>均匀:log₂ %1 = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.cpp" line="595" />
        <source>this query, as run</source>
        <translation>此查询,实际运行</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_steps_view.h" line="31" />
        <source>Steps</source>
        <translation>步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/attention_steps.cpp" line="107" />
        <location filename="../../widgets/views/attention_steps_view.cpp" line="344" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请先在一段文本上运行模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/attention_steps.cpp" line="123" />
        <source>This model uses MLA: its keys and values are expanded from the cached latent inside attention and never stored, so there are no q, k and v to show (the attention view shows p).</source>
        <translation>此模型使用 MLA:它的键和值在注意力内部由缓存的潜向量展开,从不保存,因此没有 q、k 和 v 可显示(注意力视图显示 p)。</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/attention_steps.cpp" line="128" />
        <source>Tracing this layer's q, k and v… (this model's trace keeps them for the selected layer only)</source>
        <translation>正在追踪这一层的 q、k 和 v…(此模型的追踪只为所选层保存它们)</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/attention_steps.cpp" line="130" />
        <source>This trace kept no q, k and v (they are recorded while this view is shown).</source>
        <translation>此追踪没有保存 q、k 和 v(显示此视图时才会记录)。</translation>
    </message>
    <message>
        <location filename="../../widgets/plot/attention_steps.cpp" line="135" />
        <source>This trace kept no attention probabilities.</source>
        <translation>此追踪没有保存注意力概率。</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::AttentionView</name>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="874" />
        <source>No trace yet</source>
        <translation>尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="878" />
        <source>Probabilities</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="879" />
        <source>Scores (before softmax)</source>
        <translation>分数(softmax 之前)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="880" />
        <source>Log probabilities</source>
        <translation>对数概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="881" />
        <source>B − A (pinned trace)</source>
        <translation>B − A(固定的追踪)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="882" />
        <source>What the colours show</source>
        <translation>颜色表示的内容</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="887" />
        <source>Heads: maps</source>
        <translation>头:地图</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="888" />
        <source>Heads: first-token mass</source>
        <translation>头:首词元质量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="889" />
        <source>Heads: entropy</source>
        <translation>头:熵</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="890" />
        <source>Heads: previous-token</source>
        <translation>头:前一词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="891" />
        <source>Heads: induction</source>
        <translation>头:归纳</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="892" />
        <source>Find heads by behaviour: one score per layer and head; click a head to select it</source>
        <translation>按行为查找头:每层每头一个分数;点击一个头即可选中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="932" />
        <source>key: the token read</source>
        <translation>键:被读取的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="933" />
        <source>query: the token reading</source>
        <translation>查询:正在读取的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1224" />
        <source>&lt;b&gt;B − A&lt;/b&gt; — the pinned trace A kept layer %1 as thumbnails only: pin again with this layer selected (View &gt; Pin trace as A)</source>
        <translation>&lt;b&gt;B − A&lt;/b&gt; — 固定的追踪 A 只把第 %1 层保存为缩略图:选中这一层后重新固定(视图 &gt; 把追踪固定为 A)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1229" />
        <source>&lt;b&gt;B − A&lt;/b&gt; — the pinned trace A covers other tokens: pin this text again (View &gt; Pin trace as A)</source>
        <translation>&lt;b&gt;B − A&lt;/b&gt; — 固定的追踪 A 覆盖的是其他词元:请重新固定此文本(视图 &gt; 把追踪固定为 A)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1231" />
        <source>&lt;b&gt;B − A&lt;/b&gt; — no trace pinned yet: View &gt; Pin trace as A</source>
        <translation>&lt;b&gt;B − A&lt;/b&gt; — 尚未固定追踪:视图 &gt; 把追踪固定为 A</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1238" />
        <source>&lt;b&gt;Layer %1 · head %2&lt;/b&gt; — tracing this layer's attention maps… &lt;span style='color:gray'&gt;(this model's trace keeps the selected layer's maps whole and the other layers' as thumbnails)&lt;/span&gt;</source>
        <translation>&lt;b&gt;第 %1 层 · 第 %2 头&lt;/b&gt; — 正在追踪这一层的注意力图… &lt;span style='color:gray'&gt;(此模型的追踪只完整保存所选层的注意力图,其他层保存为缩略图)&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1246" />
        <source>&lt;b&gt;Attention&lt;/b&gt; — no trace yet</source>
        <translation>&lt;b&gt;注意力&lt;/b&gt; — 尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1251" />
        <source>&lt;b&gt;Layer %1 · head %2&lt;/b&gt; &amp;nbsp; query “%3” (pos %4): entropy %5 bits, first-token sink %6% &amp;nbsp;&lt;span style='color:gray'&gt;(mean over rows %7 bits, %8%)&lt;/span&gt;</source>
        <translation>&lt;b&gt;第 %1 层 · 第 %2 头&lt;/b&gt; &amp;nbsp; 查询 “%3”(位置 %4):熵 %5 比特,首词元汇聚 %6% &amp;nbsp;&lt;span style='color:gray'&gt;(各行平均 %7 比特,%8%)&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1273" />
        <source>visible</source>
        <translation>可见</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1274" />
        <source>in the future of the query (causal mask)</source>
        <translation>在查询之后(因果掩码)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1275" />
        <source>a later key outside the %1-token prefix (prefix-LM mask)</source>
        <translation>位于 %1 个词元前缀之外的后方键(前缀 LM 掩码)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1276" />
        <source>outside the sliding window of %1 keys</source>
        <translation>在 %1 个键的滑动窗口之外</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1278" />
        <source>neither one of the %1 sink tokens nor inside the window of %2 keys</source>
        <translation>既不是 %1 个汇聚词元之一,也不在 %2 个键的窗口内</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1280" />
        <source>outside the local window of %1 and off the stride of %2 (strided pattern)</source>
        <translation>在 %1 的局部窗口之外且不在步长 %2 上(跨步模式)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1281" />
        <source>in another group of %1 tokens (shifted sparse attention)</source>
        <translation>在另一个 %1 词元的分组中(移位稀疏注意力)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1282" />
        <source>no such key</source>
        <translation>没有这个键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1290" />
        <source>Hover a cell to read it; click a row to select that query. Wheel: zoom, drag: pan, 0: whole map.</source>
        <translation>悬停读取格子;点击一行选中该查询。滚轮:缩放,拖动:平移,0:整张图。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1309" />
        <source>query “&lt;b&gt;%1&lt;/b&gt;” (pos %2) → key “&lt;b&gt;%3&lt;/b&gt;” (pos %4)</source>
        <translation>查询 “&lt;b&gt;%1&lt;/b&gt;”(位置 %2)→ 键 “&lt;b&gt;%3&lt;/b&gt;”(位置 %4)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1319" />
        <source>: not seen: %1</source>
        <translation>:不可见:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1325" />
        <source>: probability &lt;b&gt;%1&lt;/b&gt;</source>
        <translation>:概率 &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1327" />
        <source>, score %1 = %2</source>
        <translation>,分数 %1 = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="1330" />
        <source> · B − A &lt;b&gt;%1&lt;/b&gt;</source>
        <translation> · B − A &lt;b&gt;%1&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.h" line="106" />
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::BeamTreeWidget</name>
    <message>
        <location filename="../../widgets/views/beam_tree.cpp" line="82" />
        <location filename="../../widgets/views/beam_tree.cpp" line="126" />
        <source>prompt</source>
        <translation>提示词</translation>
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
        <translation>解码器查询:正在读取的输出词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="104" />
        <source>encoder key: the input token read</source>
        <translation>编码器键:被读取的输入词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="105" />
        <source>encoder query</source>
        <translation>编码器查询</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="105" />
        <source>encoder key</source>
        <translation>编码器键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="106" />
        <source>decoder query</source>
        <translation>解码器查询</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="106" />
        <source>decoder key</source>
        <translation>解码器键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="127" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="215" />
        <source>Hover a cell to read it; click a row to select that decoder position. Wheel: zoom, drag: pan, 0: whole map.</source>
        <translation>悬停读取格子;点击一行选中该解码器位置。滚轮:缩放,拖动:平移,0:整张图。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="165" />
        <source>&lt;b&gt;Cross-attention&lt;/b&gt; — this model (%1) is decoder-only: its attention reads its own tokens; cross-attention (decoder queries on encoder keys) is in encoder-decoder models such as T5</source>
        <translation>&lt;b&gt;交叉注意力&lt;/b&gt; — 此模型(%1)是仅解码器模型:它的注意力读取自身的词元;交叉注意力(解码器查询作用于编码器的键)存在于 T5 等编码器-解码器模型中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="168" />
        <source>&lt;b&gt;Cross-attention&lt;/b&gt; — no trace yet</source>
        <translation>&lt;b&gt;交叉注意力&lt;/b&gt; — 尚无追踪</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="178" />
        <source>score q·k + bias</source>
        <translation>分数 q·k + 偏置</translation>
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
        <translation>分数 q·k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="196" />
        <source>input (encoder):</source>
        <translation>输入(编码器):</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="197" />
        <source>output (decoder):</source>
        <translation>输出(解码器):</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="199" />
        <source>&lt;b&gt;Layer %1 · head %2&lt;/b&gt; &amp;nbsp; decoder position %3 “%4” reads the input most at %5 “%6” (p = %7) &amp;nbsp;&lt;span style='color:gray'&gt;left: cross-attention, decoder × encoder; right: the encoder's and the decoder's self-attention&lt;/span&gt;</source>
        <translation>&lt;b&gt;第 %1 层 · 第 %2 头&lt;/b&gt; &amp;nbsp; 解码器位置 %3 “%4” 读取输入最多的是 %5 “%6”(p = %7) &amp;nbsp;&lt;span style='color:gray'&gt;左:交叉注意力,解码器 × 编码器;右:编码器与解码器的自注意力&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="219" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="220" />
        <source>encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="219" />
        <location filename="../../widgets/views/cross_attention_view.cpp" line="220" />
        <source>decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="221" />
        <source>%1: %2 query “&lt;b&gt;%3&lt;/b&gt;” (pos %4) → %5 key “&lt;b&gt;%6&lt;/b&gt;” (pos %7)</source>
        <translation>%1:%2查询 “&lt;b&gt;%3&lt;/b&gt;”(位置 %4)→ %5键 “&lt;b&gt;%6&lt;/b&gt;”(位置 %7)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="227" />
        <source>: %1 &lt;b&gt;%2&lt;/b&gt;</source>
        <translation>:%1 &lt;b&gt;%2&lt;/b&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="227" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/cross_attention_view.cpp" line="229" />
        <source>: not seen (causal mask: a later key)</source>
        <translation>:不可见(因果掩码:较后的键)</translation>
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
        <location filename="../../widgets/views/decoding_view.cpp" line="128" />
        <source>New tokens per hypothesis, sample and strategy</source>
        <translation>每个假设、样本和策略的新词元数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="129" />
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="133" />
        <source>Max new tokens</source>
        <translation>最多新词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="140" />
        <source>Beam search</source>
        <translation>束搜索</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="141" />
        <source>Best-of-N &amp;&amp; vote</source>
        <translation>Best-of-N 与投票</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="142" />
        <source>Side by side</source>
        <translation>并排比较</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="181" />
        <source>score = Σ log p / length^α (α 0: the sum, 1: the mean per token)</source>
        <translation>分数 = Σ log p / 长度^α(α 0:总和,1:每词元平均)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="182" />
        <source>▶ Play</source>
        <translation>▶ 播放</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="184" />
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="186" />
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="189" />
        <source>Width W</source>
        <translation>束宽 W</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="191" />
        <source>Length penalty α</source>
        <translation>长度惩罚 α</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="198" />
        <source>&lt;span style='background:#dbe9fb;border:1px solid #2f5da8'&gt;&amp;nbsp;kept&amp;nbsp;&lt;/span&gt; &lt;span style='background:#d9f2dc;border:2px solid #1a7f37'&gt;&amp;nbsp;finished&amp;nbsp;&lt;/span&gt; &lt;span style='background:#f2f2f2;color:#909090'&gt;&amp;nbsp;pruned&amp;nbsp;&lt;/span&gt; &lt;span style='color:#1a7f37'&gt;&lt;b&gt;━ rank 1&lt;/b&gt;&lt;/span&gt;</source>
        <translation>&lt;span style='background:#dbe9fb;border:1px solid #2f5da8'&gt;&amp;nbsp;保留&amp;nbsp;&lt;/span&gt; &lt;span style='background:#d9f2dc;border:2px solid #1a7f37'&gt;&amp;nbsp;完成&amp;nbsp;&lt;/span&gt; &lt;span style='background:#f2f2f2;color:#909090'&gt;&amp;nbsp;剪枝&amp;nbsp;&lt;/span&gt; &lt;span style='color:#1a7f37'&gt;&lt;b&gt;━ 第 1 名&lt;/b&gt;&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="212" />
        <location filename="../../widgets/views/decoding_view.cpp" line="265" />
        <source>#</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="212" />
        <location filename="../../widgets/views/decoding_view.cpp" line="265" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="212" />
        <source>Σ log p</source>
        <translation>Σ log p</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="212" />
        <source>len</source>
        <translation>长度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="212" />
        <location filename="../../widgets/views/decoding_view.cpp" line="265" />
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="250" />
        <source>ECMAScript regex searched in prompt + sample; its first capture group is the answer</source>
        <translation>在提示词 + 样本中搜索的 ECMAScript 正则;第一个捕获组即答案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="251" />
        <source>N</source>
        <translation>N</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="253" />
        <source>Scorer</source>
        <translation>打分方式</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="255" />
        <source>Answer regex</source>
        <translation>答案正则</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="265" />
        <source>seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="265" />
        <source>answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="306" />
        <source>Strategies separated by ';': greedy, beam:W[:α], or sampler settings over the Settings dock's (temperature=0.8,top-p=0.9,seed=3). The seed is the dock's unless given, so each column changes one setting.</source>
        <translation>用 ';' 分隔的策略:greedy、beam:W[:α],或在“设置”停靠窗之上改动的采样设置(temperature=0.8,top-p=0.9,seed=3)。未给出种子时使用停靠窗的种子,因此每列只改变一个设置。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="309" />
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="311" />
        <source>Strategies</source>
        <translation>策略</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="320" />
        <source>each token's background: its probability under the model  &lt;span style='background:#ffffff;border:1px solid #ccc'&gt;&amp;nbsp;p = 1&amp;nbsp;&lt;/span&gt; &lt;span style='background:%1'&gt;&amp;nbsp;0.5&amp;nbsp;&lt;/span&gt; &lt;span style='background:%2'&gt;&amp;nbsp;p → 0&amp;nbsp;&lt;/span&gt;</source>
        <translation>每个词元的背景:它在模型下的概率  &lt;span style='background:#ffffff;border:1px solid #ccc'&gt;&amp;nbsp;p = 1&amp;nbsp;&lt;/span&gt; &lt;span style='background:%1'&gt;&amp;nbsp;0.5&amp;nbsp;&lt;/span&gt; &lt;span style='background:%2'&gt;&amp;nbsp;p → 0&amp;nbsp;&lt;/span&gt;</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="363" />
        <source>%1 failed: %2</source>
        <translation>%1 失败:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="365" />
        <location filename="../../widgets/views/decoding_view.cpp" line="366" />
        <source>decoding…</source>
        <translation>解码中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="520" />
        <source>step %1 (done)</source>
        <translation>第 %1 步(完成)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="521" />
        <source>step %1 of at most %2</source>
        <translation>第 %1 步,最多 %2 步</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="596" />
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;table cellspacing=0 cellpadding=0&gt;&lt;tr&gt;&lt;td&gt;mean log p&amp;nbsp;&lt;/td&gt;&lt;td align=right&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;distinct-1&lt;/td&gt;&lt;td align=right&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;distinct-2&lt;/td&gt;&lt;td align=right&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;repeated 4-grams&amp;nbsp;&lt;/td&gt;&lt;td align=right&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;tokens&lt;/td&gt;&lt;td align=right&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;table cellspacing=0 cellpadding=0&gt;&lt;tr&gt;&lt;td&gt;平均 log p&amp;nbsp;&lt;/td&gt;&lt;td align=right&gt;%2&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;distinct-1&lt;/td&gt;&lt;td align=right&gt;%3&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;distinct-2&lt;/td&gt;&lt;td align=right&gt;%4&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;重复的 4-gram&amp;nbsp;&lt;/td&gt;&lt;td align=right&gt;%5&lt;/td&gt;&lt;/tr&gt;&lt;tr&gt;&lt;td&gt;词元数&lt;/td&gt;&lt;td align=right&gt;%6&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;</translation>
    </message>
    <message>
        <source>step %1 of %2%3</source>
        <translation>第 %1 步,共 %2 步%3</translation>
    </message>
    <message>
        <source> (done)</source>
        <translation>(完成)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="567" />
        <source>Best-of-%1 by %2: sample %3 (seed %4).</source>
        <translation>Best-of-%1(按 %2):样本 %3(种子 %4)。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="573" />
        <source>  Vote: &lt;b&gt;%1&lt;/b&gt; (%2 of %3 answered)</source>
        <translation>  投票:&lt;b&gt;%1&lt;/b&gt;(%3 个中 %2 个作答)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/decoding_view.cpp" line="577" />
        <source>  (%1 of %2 drawn)</source>
        <translation>  (已抽 %1 / %2)</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;mean log p %2&lt;br&gt;distinct-1 %3 · distinct-2 %4&lt;br&gt;repeated 4-grams %5 · %6 tokens</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&lt;br&gt;平均 log p %2&lt;br&gt;distinct-1 %3 · distinct-2 %4&lt;br&gt;重复 4-gram %5 · %6 个词元</translation>
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
        <translation>句子,每行一句(按余弦相似度比较):</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="136" />
        <source>Load an encoder (bert) to compare sentences.</source>
        <translation>加载一个编码器(bert)来比较句子。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="169" />
        <source>No trace yet.</source>
        <translation>尚无追踪。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="184" />
        <source>Pooled embedding of the prompt: %1 pooling over %2 tokens, L2-normalised (‖e‖ = 1), dim %3</source>
        <translation>提示词的池化嵌入:对 %2 个词元做 %1 池化,L2 归一化(‖e‖ = 1),维度 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="201" />
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="203" />
        <source>e[i]</source>
        <translation>e[i]</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="214" />
        <source>Sentence similarity cos(eᵢ, eⱼ)</source>
        <translation>句子相似度 cos(eᵢ, eⱼ)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/embedding_view.cpp" line="261" />
        <source>sentence</source>
        <translation>句子</translation>
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
        <location filename="../../widgets/views/attention_view.cpp" line="717" />
        <source>&lt;b&gt;layer %1, head %2&lt;/b&gt;&lt;br&gt;selected row: entropy %3 bits, sink %4%&lt;br&gt;mean over rows: entropy %5 bits, sink %6%&lt;br&gt;click to select</source>
        <translation>&lt;b&gt;第 %1 层,第 %2 头&lt;/b&gt;&lt;br&gt;所选行:熵 %3 比特,汇聚 %4%&lt;br&gt;各行平均:熵 %5 比特,汇聚 %6%&lt;br&gt;点击选中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="739" />
        <source>under each head: entropy (bits) and mass on the first token, at the selected row</source>
        <translation>每个头下方:所选行的熵(比特)与首词元质量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="741" />
        <source>mean p(q → first token) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均 p(q → 首词元)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="742" />
        <source>mean attention entropy (bits) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均注意力熵(比特)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="743" />
        <source>mean p(q → q − 1) over queries q ≥ 1</source>
        <translation>查询 q ≥ 1 上的平均 p(q → q − 1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="745" />
        <source>induction score: measuring…</source>
        <translation>归纳分数:测量中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/attention_view.cpp" line="746" />
        <source>induction: p(repeat → token after its first copy), random tokens ×2</source>
        <translation>归纳:p(重复处 → 其首次出现之后的词元),随机词元 ×2</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::KvCacheView</name>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="102" />
        <source>Context:</source>
        <translation>上下文:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="106" />
        <source> tokens</source>
        <translation> 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="108" />
        <source>MLA latent rank r:</source>
        <translation>MLA 潜变量秩 r:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="112" />
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="114" />
        <source>Every model also as MLA with this latent rank (DeepSeek-V2 ships r = 512 + a 64-dim RoPE key); each model counts r = min(r, 2 · kv heads · head dim, d_model), the most a latent can hold there</source>
        <translation>每个模型也按此潜变量秩算作 MLA(DeepSeek-V2 用 r = 512 加 64 维 RoPE 键);每个模型取 r = min(r, 2 · kv 头数 · 头维度, d_model),即潜变量在该模型中最多能容纳的量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="136" />
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="136" />
        <source>KV sharing</source>
        <translation>KV 共享</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="136" />
        <source>per token</source>
        <translation>每词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="136" />
        <source>at context</source>
        <translation>整个上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="137" />
        <source>Δ ppl vs as trained</source>
        <translation>相对训练时的 Δ ppl</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="197" />
        <source>Δ ppl = perplexity with the row's KV sharing applied to the model as trained (other architecture knobs as trained) − perplexity as trained</source>
        <translation>Δ 困惑度 = 把该行的 KV 共享用于训练时的模型(其他架构旋钮保持训练时设置)后的困惑度 − 训练时的困惑度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="199" />
        <source>, on %1</source>
        <translation>,在 %1 上</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="201" />
        <source> — computing…</source>
        <translation> — 计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="202" />
        <source> — failed: %1</source>
        <translation> — 失败:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="206" />
        <source>. Only the loaded model can be measured.</source>
        <translation>。只能测量已加载的模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="211" />
        <source>computing…</source>
        <translation>计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="213" />
        <source>not measured</source>
        <translation>未测量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="237" />
        <source>this model (fp32)</source>
        <translation>本模型(fp32)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="253" />
        <source>kv heads</source>
        <translation>个 kv 头</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="254" />
        <source>kv head</source>
        <translation>个 kv 头</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="255" />
        <source>  ★ shipped</source>
        <translation>  ★ 原版</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="271" />
        <source>
r is capped at %1 here: a latent of higher rank would hold more than the K and V rows it replaces (2 · kv heads · head dim) or than d_model</source>
        <translation>
此处 r 上限为 %1:更高秩的潜变量会比它替代的 K、V 行(2 · kv 头数 · 头维度)或 d_model 还大</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="273" />
        <source>
simulator: --set %1</source>
        <translation>
模拟器:--set %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="290" />
        <source>KV cache at %1 tokens (one sequence)</source>
        <translation>%1 个词元时的 KV 缓存(单序列)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="292" />
        <source>2 · layers · kv heads · head dim · bytes</source>
        <translation>2 · 层数 · kv 头数 · 头维度 · 字节</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="293" />
        <source>MLA: layers · (r + rope dim) · bytes</source>
        <translation>MLA:层数 · (r + rope 维度) · 字节</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="333" />
        <source>as shipped</source>
        <translation>原版</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="334" />
        <source>alternative</source>
        <translation>替代方案</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="358" />
        <location filename="../../widgets/views/kv_cache_view.cpp" line="411" />
        <source>bytes (log scale)</source>
        <translation>字节(对数刻度)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="412" />
        <source>bytes (log) · shipped rows named</source>
        <translation>字节(对数)· 只标出发布配置的行</translation>
    </message>
    <message>
        <location filename="../../widgets/views/kv_cache_view.cpp" line="413" />
        <source>bytes (log) · a bar per table row</source>
        <translation>字节(对数)· 每个表格行一根条</translation>
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
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="43" />
        <source>Previous step (PageUp)</source>
        <translation>上一步(PageUp)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="44" />
        <source>Next step (PageDown or space)</source>
        <translation>下一步(PageDown 或空格)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="52" />
        <source>Fold the text away to see the view (click again to unfold)</source>
        <translation>收起文字以查看视图(再次点击展开)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="84" />
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="142" />
        <source>Show answer</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_overlay.cpp" line="142" />
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
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="194" />
        <source>Show answer</source>
        <translation>显示答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="68" />
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="201" />
        <source>Get the model…</source>
        <translation>获取模型…</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="70" />
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="202" />
        <source>Open the model manager to download the model this step is best shown on</source>
        <translation>打开模型管理器,下载最适合演示本步的模型</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="83" />
        <source>Edit lesson</source>
        <translation>编辑课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="95" />
        <source>Rich text (HTML): &lt;p&gt;…&lt;/p&gt;, &lt;b&gt;, &lt;i&gt;, &lt;sub&gt;, &lt;sup&gt;; formulas in Unicode</source>
        <translation>富文本(HTML):&lt;p&gt;…&lt;/p&gt;、&lt;b&gt;、&lt;i&gt;、&lt;sub&gt;、&lt;sup&gt;;公式用 Unicode</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="98" />
        <source>a --set key or a sampler field</source>
        <translation>一个 --set 键或采样器字段</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="103" />
        <source>Lesson</source>
        <translation>课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="104" />
        <source>Section</source>
        <translation>章节</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="105" />
        <source>Step title</source>
        <translation>步骤标题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="106" />
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="107" />
        <source>Try control</source>
        <translation>试一试的控件</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="108" />
        <source>Try</source>
        <translation>试一试</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="109" />
        <source>Question</source>
        <translation>问题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="110" />
        <source>Answer</source>
        <translation>答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="111" />
        <source>Note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="114" />
        <source>Add step from current state</source>
        <translation>从当前状态添加步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="116" />
        <source>Use current state</source>
        <translation>使用当前状态</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="117" />
        <source>The current step takes the state on screen now</source>
        <translation>当前步骤采用屏幕上现在的状态</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="122" />
        <source>Apply text</source>
        <translation>应用文本</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="123" />
        <source>▲</source>
        <translation>▲</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="124" />
        <source>▼</source>
        <translation>▼</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="125" />
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="126" />
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="127" />
        <source>Move the step up</source>
        <translation>上移此步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="128" />
        <source>Move the step down</source>
        <translation>下移此步骤</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="172" />
        <source>No lesson open (File &gt; Open lesson…)</source>
        <translation>未打开课程(文件 &gt; 打开课程…)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="194" />
        <source>Hide answer</source>
        <translation>隐藏答案</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="197" />
        <source>Train it…</source>
        <translation>训练它…</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="198" />
        <source>Open the Train view on preset %1: the model it writes is the one this step is best shown on</source>
        <translation>在“训练”视图中打开预设 %1:它训练出的模型最适合演示本步</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="225" />
        <source>Step %1</source>
        <translation>第 %1 步</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="258" />
        <source>Save lesson</source>
        <translation>保存课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="258" />
        <source>Lessons (*.json)</source>
        <translation>课程 (*.json)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_panel.cpp" line="262" />
        <source>Cannot save the lesson</source>
        <translation>无法保存课程</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::LessonPlayer</name>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="72" />
        <source>Shown on %1, trained from preset %2: the design as trained, not a swap.</source>
        <translation>本步在 %1 上演示,它由预设 %2 训练而来:按训练时的设计运行,不是替换。</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="75" />
        <source>Shown on %1, the model that shows this best.</source>
        <translation>本步在 %1 上演示,它最能说明这一点。</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="79" />
        <source>%1 is not installed: this step shows %2 instead. %3</source>
        <translation>%1 未安装:本步改用 %2 演示。%3</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="133" />
        <source>%1 (trained from preset %2)</source>
        <translation>%1(由预设 %2 训练)</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="187" />
        <source>Untitled lesson</source>
        <translation>未命名课程</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="254" />
        <source>the lesson needs a title before it is saved</source>
        <translation>保存前课程需要一个标题</translation>
    </message>
    <message>
        <location filename="../../widgets/lessons/lesson_player.cpp" line="255" />
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
        <location filename="../../widgets/views/logit_lens_view.cpp" line="196" />
        <source>Logit lens: what each layer would predict next</source>
        <translation>Logit 透镜:每一层会预测的下一个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="198" />
        <source>final norm + classifier applied to each layer's output · colour: probability of the top token
bold ✓: it is the token that came next · hover a cell for the top %1</source>
        <translation>对每层输出应用最终归一化 + 分类器 · 颜色:最可能词元的概率
粗体 ✓:它就是实际出现的下一个词元 · 悬停格子查看前 %1 个</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="224" />
        <source>probability of the top-1 token</source>
        <translation>第一名词元的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="239" />
        <source>%1 (output)</source>
        <translation>%1(输出)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="248" />
        <source>input token and position</source>
        <translation>输入词元与位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="249" />
        <source>token that came next</source>
        <translation>实际的下一个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/logit_lens_view.cpp" line="250" />
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
        <translation>已有一个下载在进行(%1)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="38" />
        <location filename="../../widgets/controller/model_download.cpp" line="95" />
        <source>cannot write %1: %2</source>
        <translation>无法写入 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="89" />
        <source>download failed: HTTP %1 %2 from %3</source>
        <translation>下载失败:HTTP %1 %2,来自 %3</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="90" />
        <source>download failed: %1</source>
        <translation>下载失败:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="106" />
        <source>cannot read the download back: %1</source>
        <translation>无法读回下载的文件:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="111" />
        <source>sha256 mismatch: the download has %1, the manifest says %2; the file was deleted</source>
        <translation>sha256 不匹配:下载文件为 %1,清单中为 %2;文件已删除</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/model_download.cpp" line="117" />
        <source>cannot rename %1 to %2: %3</source>
        <translation>无法把 %1 重命名为 %2:%3</translation>
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
        <translation>sha256 %1(清单)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="126" />
        <source>sha256 %1 (recorded on first download)</source>
        <translation>sha256 %1(首次下载时记录)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="127" />
        <source>sha256 not known in advance: recorded on the first download, verified after that</source>
        <translation>预先不知道 sha256:首次下载时记录,之后每次校验</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="129" />
        <source>none to download (the note says how to make the file)</source>
        <translation>无可下载的文件(说明中写了如何制作该文件)</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="131" />
        <source>%1 — %2
source: %3
%4</source>
        <translation>%1 — %2
来源:%3
%4</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="133" />
        <source>not verified: each conversion differs</source>
        <translation>不校验:每次转换的结果都不同</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="154" />
        <source>cannot read %1: %2</source>
        <translation>无法读取 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="160" />
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="220" />
        <source>unverified</source>
        <translation>未校验</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="162" />
        <source>No sha256 is known for %1 (neither in the manifest nor recorded on a download).
file: %2</source>
        <translation>%1 没有已知的 sha256(清单中没有,下载时也未记录)。
文件:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="167" />
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="210" />
        <source>verified ✓</source>
        <translation>已校验 ✓</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="167" />
        <source>sha256 mismatch ✗</source>
        <translation>sha256 不匹配 ✗</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="169" />
        <source>sha256 matches the manifest: %1</source>
        <translation>sha256 与清单一致:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="170" />
        <source>sha256 differs from the expected one.
file:     %1
expected: %2</source>
        <translation>sha256 与预期不同。
文件:%1
预期:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="192" />
        <source>No writable models folder: set ANATOMY_MODELS to a folder you can write.</source>
        <translation>没有可写的模型文件夹:请把 ANATOMY_MODELS 设为一个可写的文件夹。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="204" />
        <source>Downloading… %1</source>
        <translation>下载中… %1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="211" />
        <source>Saved and verified: %1</source>
        <translation>已保存并校验:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="217" />
        <source>sha256 recorded</source>
        <translation>已记录 sha256</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="218" />
        <source>Saved: %1
sha256 %2 recorded; later opens verify it.</source>
        <translation>已保存:%1
已记录 sha256 %2;以后打开时会校验。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="221" />
        <source>Saved: %1, but the sha256 could not be recorded: %2</source>
        <translation>已保存:%1,但无法记录 sha256:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="225" />
        <source>Download failed: %1</source>
        <translation>下载失败:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="226" />
        <source>Download cancelled.</source>
        <translation>已取消下载。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="229" />
        <source>Downloading %1…</source>
        <translation>正在下载 %1…</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="229" />
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="248" />
        <source>Open model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/model_manager_dialog.cpp" line="249" />
        <source>Models (*.bin *.gguf);;All files (*)</source>
        <translation>模型 (*.bin *.gguf);;所有文件 (*)</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::NormsView</name>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="332" />
        <source>Residual RMS, mean μ and σ through the layers — “%1” (pos %2)</source>
        <translation>各层残差 RMS、均值 μ 与 σ — “%1”(位置 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="333" />
        <source>Residual RMS through the layers — “%1” (pos %2)</source>
        <translation>各层残差 RMS — “%1”(位置 %2)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="337" />
        <source>LayerNorm: (x − μ)/σ · g + b over the channels; RMS² = μ² + σ², so RMSNorm's x/RMS also keeps the mean</source>
        <translation>LayerNorm:在通道上做 (x − μ)/σ · g + b;RMS² = μ² + σ²,所以 RMSNorm 的 x/RMS 还保留了均值</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="341" />
        <source>BatchNorm (eval): (x_c − μ_c)/σ_c · g_c per channel c, μ and σ fixed in training</source>
        <translation>BatchNorm(推理):每个通道 c 上 (x_c − μ_c)/σ_c · g_c,μ 和 σ 在训练中固定</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="346" />
        <source>residual stream</source>
        <translation>残差流</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="346" />
        <source>residual</source>
        <translation>残差</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="347" />
        <source>attention norm output</source>
        <translation>注意力归一化输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="347" />
        <source>attn norm</source>
        <translation>注意力归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="348" />
        <source>FFN norm output</source>
        <translation>FFN 归一化输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="348" />
        <source>FFN norm</source>
        <translation>FFN 归一化</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="349" />
        <source>attention output (added)</source>
        <translation>注意力输出(加入)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="349" />
        <source>attn out</source>
        <translation>注意力输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="350" />
        <source>FFN output (added)</source>
        <translation>FFN 输出(加入)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="350" />
        <source>FFN out</source>
        <translation>FFN 输出</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="364" />
        <source>mean μ of the residual</source>
        <translation>残差均值 μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="364" />
        <source>μ</source>
        <translation>μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="365" />
        <source>σ of the residual</source>
        <translation>残差标准差 σ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="365" />
        <source>σ</source>
        <translation>σ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="390" />
        <source>layer (in → attention → FFN)</source>
        <translation>层(输入 → 注意力 → FFN)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="391" />
        <location filename="../../widgets/views/norms_view.cpp" line="428" />
        <location filename="../../widgets/views/norms_view.cpp" line="483" />
        <location filename="../../widgets/views/norms_view.cpp" line="522" />
        <source>RMS</source>
        <translation>RMS</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="396" />
        <source>RMS, μ, σ</source>
        <translation>RMS、μ、σ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="405" />
        <source>Largest |activation| per layer — “%1”</source>
        <translation>每层最大 |激活| — “%1”</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="412" />
        <location filename="../../widgets/views/norms_view.cpp" line="506" />
        <source>residual max |x|</source>
        <translation>残差最大 |x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="413" />
        <location filename="../../widgets/views/norms_view.cpp" line="507" />
        <source>max |x|</source>
        <translation>最大 |x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="420" />
        <location filename="../../widgets/views/norms_view.cpp" line="514" />
        <source>FFN activation max |h|</source>
        <translation>FFN 激活最大 |h|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="421" />
        <location filename="../../widgets/views/norms_view.cpp" line="515" />
        <source>max |h|</source>
        <translation>最大 |h|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="427" />
        <location filename="../../widgets/views/norms_view.cpp" line="521" />
        <source>residual RMS, for scale</source>
        <translation>残差 RMS(作比例参考)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="446" />
        <source>layer (numbers: channel of the max)</source>
        <translation>层(数字:最大值所在通道)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="447" />
        <location filename="../../widgets/views/norms_view.cpp" line="555" />
        <source>largest |value|</source>
        <translation>最大 |值|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="457" />
        <source>Residual RMS per token — layer %1</source>
        <translation>每个词元的残差 RMS — 第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="462" />
        <source>entering the layer</source>
        <translation>进入该层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="463" />
        <source>in</source>
        <translation>进入</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="465" />
        <source>after attention</source>
        <translation>注意力之后</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="465" />
        <source>+ attn</source>
        <translation>+ 注意力</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="467" />
        <source>after FFN</source>
        <translation>FFN 之后</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="467" />
        <source>+ FFN</source>
        <translation>+ FFN</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="470" />
        <source>mean μ entering the layer</source>
        <translation>进入该层时的均值 μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="471" />
        <source>μ in</source>
        <translation>进入 μ</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="482" />
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="494" />
        <source>Largest |activation| per token — layer %1</source>
        <translation>每个词元最大 |激活| — 第 %1 层</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/views/norms_view.cpp" line="503" />
        <source> (max of each %n tokens)</source>
        <translation>
            <numerusform>(每 %n 个词元取最大值)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.cpp" line="553" />
        <source>token (labels: residual channel of the max)</source>
        <translation>词元(标签:最大值所在残差通道)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/norms_view.h" line="56" />
        <source>Norms</source>
        <translation>范数</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::PositionsView</name>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="193" />
        <source>No model yet: load one to see its positions.</source>
        <translation>尚无模型:加载一个模型以查看其位置编码。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="238" />
        <source>(a) Sinusoidal absolute encoding, added to the embedding</source>
        <translation>(a) 正弦绝对位置编码,加到嵌入上</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="239" />
        <source>PE(pos, 2i) = sin(pos / 10000^(2i/%1)),  PE(pos, 2i+1) = cos(…),  d = %1</source>
        <translation>PE(pos, 2i) = sin(pos / 10000^(2i/%1)),  PE(pos, 2i+1) = cos(…),  d = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="252" />
        <location filename="../../widgets/views/positions_view.cpp" line="474" />
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="253" />
        <source>dimension j</source>
        <translation>维度 j</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="256" />
        <location filename="../../widgets/views/positions_view.cpp" line="476" />
        <source> trained context %1 →</source>
        <translation> 训练上下文 %1 →</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="265" />
        <source>, every %1th position</source>
        <translation>,每隔 %1 个位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="267" />
        <source>(a) Learned absolute positions of this model: cos(P_i, P_j)</source>
        <translation>(a) 此模型学到的绝对位置:cos(P_i, P_j)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="268" />
        <source>P = the position embedding added to the token embedding, %1 positions x %2 dims%3</source>
        <translation>P = 加到词元嵌入上的位置嵌入,%1 个位置 × %2 维%3</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="279" />
        <source>cosine</source>
        <translation>余弦</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="284" />
        <source>position j</source>
        <translation>位置 j</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="285" />
        <source>position i</source>
        <translation>位置 i</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="304" />
        <source>(b) T5 relative bias: bucket of the distance</source>
        <translation>(b) T5 相对偏置:距离所在的桶</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="305" />
        <source>%1 buckets: 0–%2 exact, log-spaced up to %3; one learned bias per bucket and head</source>
        <translation>%1 个桶:0–%2 精确,之后按对数间隔到 %3;每个桶和每个头一个可学习偏置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="317" />
        <source> one bucket per distance ← | → log-spaced</source>
        <translation> 每个距离一个桶 ← | → 对数间隔</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="320" />
        <source> from %1 on: all in bucket %2</source>
        <translation> 从 %1 起:全部在桶 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="323" />
        <source>distance n = query − key (tokens back)</source>
        <translation>距离 n = 查询 − 键(向前的词元数)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="324" />
        <source>bucket</source>
        <translation>桶</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="335" />
        <source>(b) T5 relative bias this model learned: B[bucket(key − query), head]</source>
        <translation>(b) 此模型学到的 T5 相对位置偏置:B[bucket(键 − 查询), 头]</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="336" />
        <source>%1 buckets, one past %2; solid: encoder, dashed: decoder; head %3 bold, others faint</source>
        <translation>%1 个桶,最后一个超过 %2;实线:编码器,虚线:解码器;第 %3 头加粗,其余淡色</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="370" />
        <source> ← keys before</source>
        <translation> ← 之前的键</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="372" />
        <source>after (encoder) → </source>
        <translation>之后(编码器)→ </translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="374" />
        <source>relative position key − query (tokens)</source>
        <translation>相对位置 键 − 查询(词元)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="375" />
        <source>bias added to the score</source>
        <translation>加到分数上的偏置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="391" />
        <source>(c) ALiBi: bias −mₕ·d added to the score</source>
        <translation>(c) ALiBi:分数加上偏置 −mₕ·d</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="392" />
        <source>head h = 0..%1: slope m = 2^(−8(h+1)/%2), fixed, nothing learned; selected head %3 bold</source>
        <translation>头 h = 0..%1:斜率 m = 2^(−8(h+1)/%2),固定,不学习;所选第 %3 头加粗</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="452" />
        <source>θᵢ = %1^(−2i/%2), λ = 2π/θᵢ tokens per turn; q·k sees only angle differences</source>
        <translation>θᵢ = %1^(−2i/%2),λ = 2π/θᵢ 个词元转一圈;q·k 只看到角度差</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="416" />
        <location filename="../../widgets/views/positions_view.cpp" line="428" />
        <source>head %1: %2</source>
        <translation>头 %1:%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="435" />
        <source>distance d = query − key (tokens back)</source>
        <translation>距离 d = 查询 − 键(向前的词元数)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="436" />
        <source>bias on the score</source>
        <translation>分数上的偏置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="451" />
        <source>(d) RoPE: cos(pos·θᵢ) of each pair, rotating q and k</source>
        <translation>(d) RoPE:每对的 cos(pos·θᵢ),旋转 q 和 k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.cpp" line="467" />
        <source>pair %1
λ = %2</source>
        <translation>维度对 %1
λ = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/positions_view.h" line="72" />
        <source>Positions</source>
        <translation>位置</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::RopeView</name>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="254" />
        <source>Key:</source>
        <translation>键:</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="256" />
        <source>most attended</source>
        <translation>最受关注</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="257" />
        <source>same position</source>
        <translation>同一位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="258" />
        <source>first token</source>
        <translation>首词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="260" />
        <source>Turn the pairs to another position, also beyond the trained context</source>
        <translation>把维度对转到另一位置,也可超出训练上下文</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="342" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请先在一段文本上运行模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="359" />
        <source>turn q to position %1</source>
        <translation>把 q 转到位置 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="385" />
        <source>q of layer %1, head %2 at position %3 (“%4”), pair by pair</source>
        <translation>第 %1 层第 %2 头在位置 %3(“%4”)的 q,逐对展示</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="467" />
        <source>pair %1</source>
        <translation>维度对 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="471" />
        <source>λ = %1</source>
        <translation>λ = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="475" />
        <source>%1°</source>
        <translation>%1°</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="478" />
        <source>%1 turns</source>
        <translation>%1 圈</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="492" />
        <source>|q| %1
|k| %2</source>
        <translation>|q| %1
|k| %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="495" />
        <source>|q| %1</source>
        <translation>|q| %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="498" />
        <source>|k| %1</source>
        <translation>|k| %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="506" />
        <source>positions = %1: q and k are not rotated, the arrows are the same at every position</source>
        <translation>positions = %1:q 和 k 不旋转,箭头在每个位置都一样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="507" />
        <source>ALiBi</source>
        <translation>ALiBi</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="507" />
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="509" />
        <source>pair i turns by θ′ᵢ radians per token: %1 with s = %2 (base %3)</source>
        <translation>第 i 对每个词元转 θ′ᵢ 弧度:%1,s = %2(基数 %3)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="512" />
        <source>pair i turns by θᵢ = %1^(−2i/%2) radians per token</source>
        <translation>第 i 对每个词元转 θᵢ = %1^(−2i/%2) 弧度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="514" />
        <source> ÷ cᵢ (the file's rope_freqs)</source>
        <translation> ÷ cᵢ(文件的 rope_freqs)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="557" />
        <source>q and k are not rotated.
Instead each head subtracts mₕ·d
from the score, d tokens back:
see the bias line on the right.</source>
        <translation>q 和 k 不旋转。
每个头改为从分数中减去 mₕ·d
(d 为向前的词元数):
见右侧的偏置线。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="602" />
        <source>rope_freqs (as trained)</source>
        <translation>rope_freqs(训练时)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="670" />
        <source>L0 = %1</source>
        <translation>L0 = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="713" />
        <source>ALiBi: q·k/√d − m·d</source>
        <translation>ALiBi:q·k/√d − m·d</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="721" />
        <source>ALiBi bias −m·d</source>
        <translation>ALiBi 偏置 −m·d</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="516" />
        <source>
blue: q at position %1 · orange: k of “%2” at position %3 · arrows are directions, |q| and |k| the pair's lengths</source>
        <translation>
蓝:位置 %1 的 q · 橙:位置 %3 上 “%2” 的 k · 箭头表示方向,|q| 和 |k| 为该对的长度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="554" />
        <source>positions = ALiBi: no rotary frequencies</source>
        <translation>positions = ALiBi:没有旋转频率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="554" />
        <source>positions = none: no rotary frequencies</source>
        <translation>positions = none:没有旋转频率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="559" />
        <source>q and k are not rotated and no bias
is added: attention cannot tell
near from far. Only the causal mask
says which tokens came before.</source>
        <translation>q 和 k 不旋转,也不加偏置:
注意力分不清远近。
只有因果掩码说明
哪些词元在前面。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="569" />
        <source>Wavelength 2π/θᵢ per pair, each scaling at s = %1</source>
        <translation>每对的波长 2π/θᵢ,各缩放方式取 s = %1</translation>
    </message>
    <message>
        <source>as trained</source>
        <translation>与训练时相同</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="603" />
        <source> @ L=%1</source>
        <translation> @ L=%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="604" />
        <source> ◀</source>
        <translation> ◀</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="627" />
        <source>tokens per turn</source>
        <translation>每圈词元数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="640" />
        <source>θᵢ (radians per token)</source>
        <translation>θᵢ(每词元弧度)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="649" />
        <source>pair i (fast → slow)</source>
        <translation>维度对 i(快 → 慢)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="670" />
        <source>original context L0 = %1</source>
        <translation>原始上下文 L0 = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="671" />
        <source>s × L0 = %1</source>
        <translation>s × L0 = %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="688" />
        <source>this q (“%1”) and k (“%2”) moved d tokens apart</source>
        <translation>此 q(“%1”)与 k(“%2”)相隔 d 个词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="689" />
        <source>; positions = none: the score is the same at every distance</source>
        <translation>;positions = none:在任何距离分数都一样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="690" />
        <source>; ALiBi head %1: m = %2</source>
        <translation>;ALiBi 第 %1 头:m = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="692" />
        <source>Score q·k/√%1 at distance d</source>
        <translation>距离 d 处的分数 q·k/√%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="710" />
        <source>as trained (RoPE, base %1)</source>
        <translation>训练时(RoPE,base %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="712" />
        <source>RoPE as trained</source>
        <translation>训练时的 RoPE</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="714" />
        <source>no positions</source>
        <translation>无位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="716" />
        <source>%1, s = %2</source>
        <translation>%1,s = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="717" />
        <source> (logits × %1)</source>
        <translation>(logits × %1)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="784" />
        <source> trained context (%1) → never seen in training</source>
        <translation> 训练上下文(%1)→ 训练中从未见过</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="789" />
        <source> s × L0 = %1 </source>
        <translation> s × L0 = %1 </translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="802" />
        <source>  in the trace: d = %1, score %2</source>
        <translation>  追踪中:d = %1,分数 %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="810" />
        <source>distance d = query position − key position</source>
        <translation>距离 d = 查询位置 − 键位置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.cpp" line="812" />
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/rope_view.h" line="95" />
        <source>RoPE</source>
        <translation>RoPE</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::RoutingView</name>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="125" />
        <source>No trace yet: run the model on some text.</source>
        <translation>尚无追踪:请先在一段文本上运行模型。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="142" />
        <source>Layer %1: %2 experts, top-%3 routing</source>
        <translation>第 %1 层:%2 个专家,top-%3 路由</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="146" />
        <source>importance CV %1  ·  dropped %2 of %3 assignments  ·  FFN params per token %4 of %5 (%6%)</source>
        <translation>重要性变异系数 %1  ·  %3 次分配中丢弃 %2  ·  每词元 FFN 参数 %4 / %5(%6%)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="181" />
        <source>chosen</source>
        <translation>被选中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="185" />
        <source>dropped (over capacity)</source>
        <translation>丢弃(超出容量)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="209" />
        <source>expert</source>
        <translation>专家</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="210" />
        <source>token (colour: router probability, ring: chosen)</source>
        <translation>词元(颜色:路由概率,圆圈:被选中)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="242" />
        <source>tokens per expert (load)</source>
        <translation>每个专家的词元数(负载)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="260" />
        <source> balanced 
 T·k/E = %1 </source>
        <translation> 均衡 
 T·k/E = %1 </translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="262" />
        <source> T·k/E = %1 </source>
        <translation> T·k/E = %1 </translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="337" />
        <source>experts per token k</source>
        <translation>每词元专家数 k</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="338" />
        <source>FFN params per token k/E</source>
        <translation>每词元 FFN 参数 k/E</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="339" />
        <source>perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="355" />
        <source>perplexity against k
not measured:
%1</source>
        <translation>困惑度随 k 的变化
未测得:
%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="357" />
        <source>computing perplexity
for k = 1..%1…
%2</source>
        <translation>正在计算
k = 1..%1 的困惑度…
%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="359" />
        <source>perplexity against k:
not measured yet</source>
        <translation>困惑度随 k 的变化:
尚未测量</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="395" />
        <source>as trained (dense) %1</source>
        <translation>训练时(稠密)%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="397" />
        <source>dense %1</source>
        <translation>稠密 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="419" />
        <source>k = %1: ppl %2, %3× dense</source>
        <translation>k = %1:困惑度 %2,稠密的 %3 倍</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="422" />
        <source>E = %1, %2
%3</source>
        <translation>E = %1,%2
%3</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="423" />
        <source>
computing…</source>
        <translation>
计算中…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/routing_view.cpp" line="424" />
        <source>
k = %1 not measured</source>
        <translation>
k = %1 未测得</translation>
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
        <location filename="../../widgets/views/sampling_view.cpp" line="613" />
        <source>Draw</source>
        <translation>抽样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="614" />
        <source>Sample one token with these settings and the seed; each press continues the seed's sequence</source>
        <translation>用这些设置和种子采样一个词元;每按一次都延续该种子的序列</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="615" />
        <source>Draw ×100</source>
        <translation>抽样 ×100</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="616" />
        <source>Sample 100 times and mark how often each token came up</source>
        <translation>采样 100 次并标出每个词元出现的频率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="727" />
        <source>Show the distribution after the %1 stage
%2</source>
        <translation>显示 %1 阶段之后的分布
%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="794" />
        <source>Next token after “%1” (position %2): the distribution drawn from</source>
        <translation>“%1”(位置 %2)之后的下一个词元:抽样所用的分布</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="796" />
        <source>Next token after “%1” (position %2): after %3 (%4)</source>
        <translation>“%1”(位置 %2)之后的下一个词元:经过 %3(%4)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="801" />
        <source>entropy %1 bits · %2 left · the %3 bars hold %4% of the mass</source>
        <translation>熵 %1 比特 · 剩余 %2 · 这 %3 条柱占 %4% 的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="803" />
        <source>candidate</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="803" />
        <source>candidates</source>
        <translation>候选</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="830" />
        <source>cut by an earlier stage</source>
        <translation>被之前的阶段截去</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="838" />
        <source>cut by this stage</source>
        <translation>被此阶段截去</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="845" />
        <source>probability after this stage</source>
        <translation>此阶段之后的概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="853" />
        <source>before this stage</source>
        <translation>此阶段之前</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="866" />
        <source>drawn token</source>
        <translation>抽中的词元</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="875" />
        <source>share of %1 draws</source>
        <translation>%1 次抽样中的占比</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="901" />
        <source>%1 cut-off: p = %2</source>
        <translation>%1 截断:p = %2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="940" />
        <source>next token (top %1 under the model)</source>
        <translation>下一个词元(模型下前 %1 个)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="941" />
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="976" />
        <source>drawn
%1%</source>
        <translation>抽中
%1%</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="997" />
        <source>Drew “%1” (coin %2) · draw %3 with seed %4</source>
        <translation>抽中 “%1”(随机数 %2)· 种子 %4 的第 %3 次抽样</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.cpp" line="1003" />
        <source>Greedy choice: “%1”</source>
        <translation>贪心选择:“%1”</translation>
    </message>
    <message>
        <location filename="../../widgets/views/sampling_view.h" line="146" />
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
        <translation>局部典型采样:保留惊奇度 −ln p 最接近熵 H 的词元,直到它们的概率和超过 p(1 = 关闭)。</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="116" />
        <source>Repetition penalty</source>
        <translation>重复惩罚</translation>
    </message>
    <message>
        <location filename="../../widgets/panels/settings_panel.cpp" line="117" />
        <source>Divides positive logits (multiplies negative ones) of recently seen tokens by this factor (1 = off).</source>
        <translation>把最近出现过的词元的正 logit 除以(负 logit 乘以)此系数(1 = 关闭)。</translation>
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
        <translation>采样器的各阶段自上而下运行;未勾选的阶段不运行。
默认顺序(惩罚、温度、top-k、top-p、min-p)与 llama2.c 相同。
放在过滤器之后的温度只重塑该过滤器保留的词元;
放在温度之前的 top-p 和 min-p 截断的是模型自身的分布。</translation>
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
        <translation>惩罚、温度、top-k、top-p、min-p(llama2.c 的顺序),然后 typical</translation>
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
        <translation>1</translation>
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
        <translation>&lt;br&gt;p = %1 &amp;nbsp; 惊奇度 %2 比特 &amp;nbsp; 排名 %3</translation>
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
        <location filename="../../widgets/controller/trace_controller.cpp" line="70" />
        <source>ppl %1 (as trained %2, %3)</source>
        <translation>困惑度 %1(训练时 %2,%3)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="77" />
        <source>%1 · %2 layers · %3 heads (%4 kv) · d %5 · vocab %6</source>
        <translation>%1 · %2 层 · %3 个头(%4 个 kv)· d %5 · 词表 %6</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="316" />
        <source>traced the first %1 of %2 tokens: the attention maps of %3 layers × %4 heads at %2 tokens would need %5 MB (limit %6 MB)</source>
        <translation>只追踪了 %2 个词元中的前 %1 个:%3 层 × %4 个头在 %2 个词元上的注意力图需要 %5 MB(上限 %6 MB)</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="326" />
        <source>the whole text is traced (%1 tokens), beyond the %2 the model was trained on: positions past %2 are extrapolated</source>
        <translation>追踪了全文(%1 个词元),超过模型训练时的 %2 个:%2 之后的位置是外推的</translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="381" />
        <source>out of memory while tracing; capture fewer arrays or tokens</source>
        <translation>追踪时内存不足;请少捕获一些数组或词元</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="450" />
        <source>stopped: drew the %n token(s) asked for</source>
        <translation>
            <numerusform>已停止:已抽取所要求的 %n 个词元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="453" />
        <source>stopped: the model drew end-of-text after %n token(s) (a story ends)</source>
        <translation>
            <numerusform>已停止:模型在 %n 个词元后抽到了文本结束符(故事结束)</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="457" />
        <source>stopped: the text reached %1 tokens, the most a trace of this model holds</source>
        <translation>已停止:文本达到 %1 个词元,即此模型一次追踪的上限</translation>
    </message>
    <message numerus="yes">
        <location filename="../../widgets/controller/trace_controller.cpp" line="458" />
        <location filename="../../widgets/controller/trace_controller.cpp" line="460" />
        <source>stopped by Stop after %n token(s)</source>
        <translation>
            <numerusform>%n 个词元后被“停止”按钮停止</numerusform>
        </translation>
    </message>
    <message>
        <location filename="../../widgets/controller/trace_controller.cpp" line="463" />
        <source> · output: “%1”</source>
        <translation> · 输出:“%1”</translation>
    </message>
</context>
<context>
    <name>anatomy::widgets::TrainView</name>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="142" />
        <source>A preset of the course's comparisons (samples/train_presets), or a config file</source>
        <translation>课程对比实验的预设(samples/train_presets),或一个配置文件</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="144" />
        <source>Config…</source>
        <translation>配置…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="145" />
        <source>Start training</source>
        <translation>开始训练</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="146" />
        <source>Stop training</source>
        <translation>停止训练</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="147" />
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="148" />
        <source>Open in views</source>
        <translation>在视图中打开</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="158" />
        <source>Loss (nats/token)</source>
        <translation>损失(nats/词元)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="158" />
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="159" />
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="159" />
        <location filename="../../widgets/views/train_view.cpp" line="288" />
        <source>lr</source>
        <translation>学习率</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="160" />
        <source>Gradient norm per layer</source>
        <translation>每层梯度范数</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="160" />
        <source>‖g‖</source>
        <translation>‖g‖</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="161" />
        <source>First-token attention mass</source>
        <translation>首词元注意力占比</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="161" />
        <source>mass</source>
        <translation>占比</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="162" />
        <source>Expert load</source>
        <translation>专家负载</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="162" />
        <source>share</source>
        <translation>份额</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="163" />
        <source>Largest activation |x|</source>
        <translation>最大激活 |x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="163" />
        <source>|x|</source>
        <translation>|x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="183" />
        <source>Training config</source>
        <translation>训练配置</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="184" />
        <source>Training config (*.json)</source>
        <translation>训练配置 (*.json)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="217" />
        <source>No config: pick a preset or a config file (Config…)</source>
        <translation>没有配置:请选择一个预设或配置文件(配置…)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="235" />
        <source>Failed: %1</source>
        <translation>失败:%1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="237" />
        <source>Training: reading the corpus…</source>
        <translation>训练:正在读取语料…</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="238" />
        <source>Pick a preset (one design of a comparison) and press Start training. Models go to %1.</source>
        <translation>选择一个预设(某个对比实验中的一种设计)并按“开始训练”。模型保存到 %1。</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="245" />
        <source>, validation %1 at step %2</source>
        <translation>,第 %2 步验证损失 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Training</source>
        <translation>训练中</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="248" />
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="249" />
        <source>%1: step %2 of %3, train loss %4%5, %6 tokens/s</source>
        <translation>%1:第 %2 步,共 %3 步,训练损失 %4%5,%6 词元/秒</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="257" />
        <source> — %1%2</source>
        <translation> — %1%2</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="260" />
        <source> (this design runs in the trainer only; the views cannot open it yet)</source>
        <translation>(此设计只在训练器中运行;视图暂时无法打开)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="273" />
        <source>Load the trained model into every view</source>
        <translation>把训练好的模型加载到所有视图</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="274" />
        <source>Train a model first (gated attention, a plain FFN, absolute positions, MoE, BatchNorm or MLA open from a .gguf output)</source>
        <translation>请先训练一个模型(门控注意力、普通 FFN、绝对位置、MoE、BatchNorm 或 MLA 从 .gguf 输出打开)</translation>
    </message>
    <message>
        <source>Train a model first (gated attention, a plain FFN, absolute positions or MoE open from a .gguf output; BatchNorm and MLA run in the trainer only)</source>
        <translation>请先训练一个模型(门控注意力、普通 FFN、绝对位置编码或 MoE 可从 .gguf 输出打开;BatchNorm 和 MLA 只在训练器中运行)</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="286" />
        <source>train</source>
        <translation>训练</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="286" />
        <source>validation</source>
        <translation>验证</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="287" />
        <location filename="../../widgets/views/train_view.cpp" line="288" />
        <location filename="../../widgets/views/train_view.cpp" line="294" />
        <location filename="../../widgets/views/train_view.cpp" line="295" />
        <location filename="../../widgets/views/train_view.cpp" line="296" />
        <location filename="../../widgets/views/train_view.cpp" line="297" />
        <source>no steps yet</source>
        <translation>尚无训练步</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="290" />
        <source>layer %1</source>
        <translation>第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="291" />
        <source>head %1</source>
        <translation>第 %1 头</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="292" />
        <source>expert %1</source>
        <translation>专家 %1</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="293" />
        <source>dropped</source>
        <translation>被丢弃</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="296" />
        <source>dense FFN: no experts</source>
        <translation>稠密 FFN:没有专家</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="297" />
        <source>max |x|</source>
        <translation>最大 |x|</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="298" />
        <source>First-token attention mass, layer %1</source>
        <translation>首词元注意力占比,第 %1 层</translation>
    </message>
    <message>
        <location filename="../../widgets/views/train_view.cpp" line="299" />
        <source>Expert load, layer %1</source>
        <translation>专家负载,第 %1 层</translation>
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
        <location filename="../../widgets/views/decoding_view.cpp" line="53" />
        <source>no answers (the regex matched nothing)</source>
        <translation>没有答案(正则未匹配到任何内容)</translation>
    </message>
</context>
</TS>