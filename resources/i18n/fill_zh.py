#!/usr/bin/env python3
# Fills resources/i18n/anatomy_zh_CN.ts from the table below (source text -> Simplified Chinese),
# after `lupdate widgets app/gui -ts resources/i18n/anatomy_zh_CN.ts`. Strings not in the table
# stay unfinished (Qt shows the English).
import sys, xml.etree.ElementTree as ET
ZH = {
 'Try:': '试一试:', 'Question:': '问题:', 'Answer:': '答案:', 'Step %1 of %2': '第 %1 步,共 %2 步',
 'position %1 “%2” · layer %3 · head %4 · %5 tokens': '位置 %1 “%2” · 第 %3 层 · 第 %4 头 · %5 个词元',
 "the session's model %1 was not found": '找不到会话的模型 %1',
 'Transformer Anatomy': 'Transformer 解剖', 'Type a prompt; every view follows as you type.': '输入提示词;所有视图随输入实时更新。',
 'Generate': '生成', 'Sample new tokens with the current settings (Ctrl+Return)': '用当前设置采样新词元(Ctrl+Return)',
 ' tokens': ' 个词元', 'Step': '单步', 'Sample one token (Ctrl+Space)': '采样一个词元(Ctrl+Space)', 'Stop': '停止', 'Reset': '重置',
 'Back to the prompt before generating (Ctrl+R)': '回到生成前的提示词(Ctrl+R)', 'Colour by surprisal': '按惊奇度着色',
 'Colour by probability': '按概率着色', 'Beside ▸': '并排 ▸', 'Show this view in a second pane beside the others': '在旁边的第二个窗格中显示此视图',
 '◂ Back': '◂ 返回', 'Move this view back to the main pane': '把此视图移回主窗格', 'Settings': '设置',
 '&File': '文件(&F)', '&Open session…': '打开会话(&O)…', '&Save session…': '保存会话(&S)…', '&Export view image…': '导出视图图像(&E)…',
 'Export view &data (CSV)…': '导出视图数据(CSV)(&D)…', '&Copy view': '复制视图(&C)', '&Quit': '退出(&Q)', '&Model': '模型(&M)',
 '&Open model file…': '打开模型文件(&O)…', 'Model &manager…': '模型管理器(&M)…', '&Generate': '生成(&G)', '&Step one token': '单步生成一个词元(&S)',
 'S&top': '停止(&T)', '&Reset to prompt': '重置为提示词(&R)', '&View': '视图(&V)', '&Show view': '显示视图(&S)', 'View &beside': '并排视图(&B)',
 '&None (one pane)': '无(单窗格)(&N)', '&Hide docks': '隐藏停靠窗(&H)', '&Reset layout': '重置布局(&R)', '&Pin trace as A': '把追踪固定为 A(&P)',
 '&Compare with A': '与 A 比较(&C)', '&Presentation mode': '演示模式(&P)', '&Navigate': '导航(&N)', 'Previous position': '上一个位置',
 'Next position': '下一个位置', 'Previous layer': '上一层', 'Next layer': '下一层', 'Previous head': '上一个头', 'Next head': '下一个头',
 '&Help': '帮助(&H)', '&About': '关于(&A)', 'About Transformer Anatomy': '关于 Transformer 解剖',
 '<b>Transformer Anatomy</b><br>Small real language models on the CPU, with their internals drawn live.<br><br>Keys: ←/→ position, ↑/↓ layer, PgUp/PgDn or [ ] head, F5 presentation mode.':
   '<b>Transformer 解剖</b><br>在 CPU 上运行的小型真实语言模型,实时绘制其内部。<br><br>按键:←/→ 位置,↑/↓ 层,PgUp/PgDn 或 [ ] 头,F5 演示模式。',
 'no model': '无模型', 'Wall time of the forward pass behind the picture': '生成此图的前向计算耗时', 'Decoding speed of the last generation': '上次生成的解码速度',
 'Perplexity on the TinyStories window chosen in the Architecture dock (text: TinyStories, CDLA-Sharing-1.0)': '在“架构”停靠窗所选 TinyStories 窗口上的困惑度(文本:TinyStories,CDLA-Sharing-1.0)',
 'Trace failed: %1': '追踪失败:%1', 'trace %1 ms': '追踪 %1 毫秒', '%1 tok/s': '%1 词元/秒', 'Generated %1 tokens': '已生成 %1 个词元',
 'ppl: failed': '困惑度:失败', 'Architecture': '架构', 'ppl computing…': '困惑度计算中…', 'loading %1…': '正在加载 %1…',
 'KV cost of %1 not measured: %2': '%1 的 KV 代价未测得:%2', 'Transformer Anatomy — %1': 'Transformer 解剖 — %1', 'no model loaded': '未加载模型',
 'Cannot load the model': '无法加载模型', 'Pinned as A: %1 tokens, %2': '已固定为 A:%1 个词元,%2', 'A: %1': 'A:%1',
 'The pinned trace A (%1); the main pane shows the current trace B': '固定的追踪 A(%1);主窗格显示当前追踪 B', 'Open model': '打开模型',
 'Models (*.bin *.gguf);;All files (*)': '模型 (*.bin *.gguf);;所有文件 (*)', 'cannot read %1: %2': '无法读取 %1:%2',
 'Open session': '打开会话', 'Anatomy sessions (*.anatomy.json *.json)': 'Anatomy 会话 (*.anatomy.json *.json)', 'Cannot open the session': '无法打开会话',
 'Save session': '保存会话', 'Cannot save the session': '无法保存会话', 'Saved %1': '已保存 %1', 'Export view image': '导出视图图像', 'View': '视图',
 'Size (pixels)': '尺寸(像素)', 'Export image': '导出图像', 'Export failed': '导出失败', 'Exported %1': '已导出 %1', 'Export %1 data': '导出 %1 数据',
 'Copied %1 (image and CSV)': '已复制 %1(图像和 CSV)',
 'Lesson': '课程', 'Open &lesson…': '打开课程(&L)…', 'Lesso&ns': '课程列表(&N)', ' (broken)': '(已损坏)', 'Cannot open the lesson': '无法打开课程',
 '&New lesson': '新建课程(&N)', 'Untitled lesson': '未命名课程', '&Language': '语言(&L)', 'System (%1)': '系统(%1)',
 'Lessons are shown in the new language now; the interface follows when the app starts again.': '课程已切换到新语言;界面将在下次启动时切换。',
 'Open lesson': '打开课程', 'Lessons (*.json)': '课程 (*.json)', 'Lesson: %1': '课程:%1',
 'Reset to as trained': '恢复为训练时的设置', "Every knob back to the checkpoint's own architecture": '所有旋钮恢复为检查点自身的架构',
 'Perplexity on TinyStories': 'TinyStories 上的困惑度', 'layer ': '层 ', 'head ': '头 ', 'Pick': '选取', 'Ablate (zero)': '消融(置零)',
 'Ablate (mean)': '消融(均值)', 'Gate': '门控', 'Gate logit': '门控 logit', 'Active': '生效中', 'Remove selected': '移除所选', 'Remove all': '全部移除',
 'no model yet': '尚无模型', 'from ': '从 ', 'length ': '长度 ', 'tokens': '词元', 'characters': '字符', 'Window': '窗口', 'Context': '上下文',
 'zero-ablated': '置零消融', 'mean-ablated': '均值消融', '(none)': '(无)', 'computing': '计算中', 'computing…': '计算中…', 'ppl: %1': '困惑度:%1',
 '<p><b>Not for this model:</b> %1</p>': '<p><b>不适用于此模型:</b>%1</p>', '<b>In use:</b> %1': '<b>使用中:</b>%1',
 'Not applied: %1 (the views keep the last valid settings)': '未应用:%1(视图保留上一次有效的设置)',
 'Previous step (PageUp)': '上一步(PageUp)', 'Next step (PageDown or space)': '下一步(PageDown 或空格)', 'Show answer': '显示答案', 'Hide answer': '隐藏答案',
 '◀ Previous': '◀ 上一步', 'Next ▶': '下一步 ▶', 'Close lesson': '关闭课程', 'PageUp': 'PageUp', 'PageDown or space': 'PageDown 或空格',
 'Back to the state you had before the lesson': '回到开始课程之前的状态', 'Edit lesson': '编辑课程',
 'Rich text (HTML): <p>…</p>, <b>, <i>, <sub>, <sup>; formulas in Unicode': '富文本(HTML):<p>…</p>、<b>、<i>、<sub>、<sup>;公式用 Unicode',
 'a --set key or a sampler field': '一个 --set 键或采样器字段', 'Section': '章节', 'Step title': '步骤标题', 'Text': '正文', 'Try control': '试一试的控件',
 'Try': '试一试', 'Question': '问题', 'Answer': '答案', 'Note': '备注', 'Add step from current state': '从当前状态添加步骤', 'Use current state': '使用当前状态',
 'The current step takes the state on screen now': '当前步骤采用屏幕上现在的状态', 'Apply text': '应用文本', 'Remove': '移除', 'Save…': '保存…',
 'Move the step up': '上移此步骤', 'Move the step down': '下移此步骤', 'No lesson open (File > Open lesson…)': '未打开课程(文件 > 打开课程…)',
 'Step %1': '第 %1 步', 'Save lesson': '保存课程', 'Cannot save the lesson': '无法保存课程',
 '%1 is not installed: this step shows %2 instead. %3': '未安装 %1:本步改用 %2 演示。%3',
 'the lesson needs a title before it is saved': '保存前课程需要一个标题', 'the lesson has no steps yet (add one from the current state)': '课程还没有步骤(请从当前状态添加一个)',
 'Temperature': '温度', 'Top-k': 'Top-k', 'Top-p': 'Top-p', 'Min-p': 'Min-p', 'Typical-p': 'Typical-p', 'Repetition penalty': '重复惩罚',
 'Divides the logits before the softmax: p ∝ exp(z / T). Below 1 sharpens, above 1 flattens; 0 = greedy (argmax).': '在 softmax 之前除 logits:p ∝ exp(z / T)。小于 1 变尖,大于 1 变平;0 = 贪心(argmax)。',
 'Keep only the k most probable tokens (0 = off).': '只保留概率最高的 k 个词元(0 = 关闭)。',
 'Keep the smallest set of most probable tokens whose mass exceeds p (1 = off).': '保留概率和超过 p 的最小高概率词元集合(1 = 关闭)。',
 'Keep tokens with p ≥ min-p × p(most probable token) (0 = off).': '保留 p ≥ min-p × p(最可能词元) 的词元(0 = 关闭)。',
 'Penalty window': '惩罚窗口', 'Stage order': '阶段顺序', 'Seed': '种子', 'all cores': '全部核心', 'Threads': '线程', 'Delete': '删除', 'Preset': '预设',
 'Saved sampler settings': '已保存的采样器设置', 'Up': '上移', 'Run the selected stage earlier': '让所选阶段提前运行', 'Down': '下移',
 'Run the selected stage later': '让所选阶段推后运行', 'Default': '默认', 'Choose…': '选择…', 'Save preset': '保存预设', 'Preset name:': '预设名称:',
 'Seed of the random number generator: the same seed draws the same tokens.': '随机数生成器的种子:相同的种子抽出相同的词元。',
 'Worker threads of the engine (0 = all cores).': '引擎的工作线程数(0 = 全部核心)。',
 'How many recent tokens the repetition penalty looks at.': '重复惩罚考察的最近词元数量。',
 'No trace yet': '尚无追踪', 'dashed: generated   ': '虚线:生成的   ', 'colour: p(token | text before it)   0': '颜色:p(词元 | 前文)   0',
 'colour: surprisal −log₂ p   0 bits': '颜色:惊奇度 −log₂ p   0 比特', '≥ %1 bits': '≥ %1 比特', '<br>first token: nothing predicts it': '<br>第一个词元:没有任何东西预测它',
 "<br>model's top choices here:": '<br>模型在此的首选:', 'Tokens': '词元',
 'Activations': '激活', 'RoPE': 'RoPE', 'Steps': '步骤', 'KV cache': 'KV 缓存', 'Logit lens': 'Logit 透镜', 'Attention': '注意力', 'Diagram': '结构图',
 'Norms': '范数', 'Sampling': '采样', 'Decoding': '解码', 'MoE routing': 'MoE 路由', 'Positions': '位置',
 'Model manager': '模型管理器', 'Download': '下载', 'Cancel': '取消', 'Open': '打开', 'Close': '关闭',
 'Probabilities': '概率', 'Scores': '分数', 'Heads: maps': '头:地图', 'Beam search': '束搜索', 'Best-of-N': 'Best-of-N', 'Side by side': '并排比较',
 'Play': '播放', 'Pause': '暂停',
}
path = sys.argv[1]
tree = ET.parse(path)
done = 0
for m in tree.getroot().iter('message'):
    src = m.find('source').text or ''
    tr = m.find('translation')
    if src in ZH:
        tr.text = ZH[src]
        tr.attrib.pop('type', None)
        done += 1
tree.write(path, encoding='utf-8', xml_declaration=True)
print(f'{done} messages translated', file=sys.stderr)
